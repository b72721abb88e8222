/**
 * How tests start `tipline` as a real process: the TypeScript sources through tsx (a
 * devDependency), never bin/tipline.js and dist/. The tests check the code in src/ as it is now;
 * dist/ is whatever was last built (possibly before this change) and bin/tipline.js would rebuild
 * it in the middle of a parallel run. The compiled start itself is covered by test/build.test.ts,
 * which builds into a folder of its own.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Arguments for `spawn(process.execPath, sourceCliArgs('assess', …))`. */
export function sourceCliArgs(...args: string[]): string[] {
  return ['--import', 'tsx', join(repoRoot, 'src/app/cli/main.ts'), ...args];
}
