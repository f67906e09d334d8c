import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root (this file is test/architecture/source-files.ts). */
export const ROOT = join(__dirname, '..', '..');

export interface SourceFile {
  /** Library folder name under libs/ (`geo`, `feeds`, …). */
  lib: string;
  /** Path from the repository root, e.g. `libs/geo/src/geo.errors.ts`. */
  path: string;
  text: string;
}

/** The libraries, one per folder under libs/. */
export function libraries(): string[] {
  return readdirSync(join(ROOT, 'libs'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/**
 * Every .ts file of every library, its code (`src/`) and its demo seed (`seed/`, if it has one:
 * the seed's SQL answers to the same table ownership); specs left out: they may name anything.
 */
export function librarySources(): SourceFile[] {
  return libraries().flatMap((lib) =>
    ['src', 'seed']
      .map((dir) => join(ROOT, 'libs', lib, dir))
      .filter((dir) => existsSync(dir))
      .flatMap(walk)
      .filter((f) => !f.endsWith('.spec.ts'))
      .sort()
      .map((f) => ({ lib, path: relative(ROOT, f), text: readFileSync(f, 'utf8') })),
  );
}
