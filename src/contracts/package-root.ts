/**
 * Where Tipline's own files are: the package root (the folder of Tipline's package.json), found
 * from this module's location. The same code runs from the TypeScript sources (`src/`, tests and
 * tsx) and from the compiled output (`dist/`), which sit at different depths, so files read at run
 * time (rule packs, the CyberTipline XSD, the web build) are named from the root, never by a
 * `../../..` relative to the calling module.
 *
 * It sits in contracts, the lowest layer, because the domain (rule packs), the stages (the XSD)
 * and the assembly point (the web build) all need it.
 *
 * @example
 *   packagePath('rulepacks')                         // /srv/tipline/rulepacks
 *   packagePath('src', 'contracts', 'cyber_tipline.xsd')
 *   packageManifest().version                        // "0.1.0"
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageManifest {
  name: string;
  version: string;
  devDependencies?: Record<string, string>;
}

function readManifest(dir: string): PackageManifest | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<PackageManifest>;
  return parsed.name === 'tipline' && typeof parsed.version === 'string' ? (parsed as PackageManifest) : undefined;
}

/** The nearest folder above this module whose package.json is Tipline's. */
export function packageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (readManifest(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`Tipline's package.json was not found above ${start}.`);
  }
}

/** A path inside the package, e.g. `packagePath('rulepacks')`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

/** Tipline's package.json: name, version (`tipline --version`), development dependencies. */
export function packageManifest(): PackageManifest {
  return readManifest(packageRoot()) as PackageManifest;
}
