/**
 * Regenerates src/contracts/cybertip.generated.ts from src/contracts/cyber_tipline.xsd.
 *
 * @example
 *   npm run gen:cybertip            # write the file
 *   npm run gen:cybertip -- --check # exit 1 if the committed file is out of date
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'prettier';
import { renderCybertipModule } from '../src/contracts/cybertip-codegen.js';

const xsdPath = fileURLToPath(new URL('../src/contracts/cyber_tipline.xsd', import.meta.url));
const targetPath = fileURLToPath(new URL('../src/contracts/cybertip.generated.ts', import.meta.url));

const source = await renderCybertipModule(await readFile(xsdPath, 'utf8'), await resolveConfig(targetPath));
if (process.argv.includes('--check')) {
  const current = await readFile(targetPath, 'utf8').catch(() => '');
  if (current !== source) {
    console.error('src/contracts/cybertip.generated.ts is out of date: run npm run gen:cybertip');
    process.exit(1);
  }
  console.log('src/contracts/cybertip.generated.ts is up to date');
} else {
  await writeFile(targetPath, source);
  console.log(`wrote ${targetPath} (${source.length} characters)`);
}
