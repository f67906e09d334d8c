import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { librarySources, ROOT, SourceFile } from './source-files';
import { READABLE_BY_OTHERS, TABLE_OWNERS, VIEW_OWNERS } from './table-ownership';

const MIGRATIONS = join(ROOT, 'libs', 'database', 'src', 'migrations');

/** Tables the migrations create. */
function migratedTables(): string[] {
  const names = readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [
      ...readFileSync(join(MIGRATIONS, f), 'utf8').matchAll(
        /create\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?"?([a-z_][a-z0-9_]*)/gi,
      ),
    ])
    .map((m) => m[1]);
  return [...new Set(names)].sort();
}

/** Views the migrations create. */
function migratedViews(): string[] {
  const names = readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(MIGRATIONS, f), 'utf8').matchAll(/create\s+(?:or\s+replace\s+)?view\s+"?([a-z_][a-z0-9_]*)/gi)])
    .map((m) => m[1]);
  return [...new Set(names)].sort();
}

const ownerOf = new Map([
  ...Object.entries(TABLE_OWNERS).flatMap(([lib, tables]) => tables.map((t) => [t, lib] as const)),
  ...Object.entries(VIEW_OWNERS),
]);

/** The text inside string and template literals (SQL lives there; comments and code do not count). */
function literals(text: string): string[] {
  return [...text.matchAll(/`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'/g)].map((m) => m[0]);
}

const TABLE_AFTER = /\b(?:from|join|into|update|delete\s+from|truncate(?:\s+table)?|references|table)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)/gi;

interface TableUse {
  lib: string;
  path: string;
  table: string;
}

/** Every table a library's SQL names that it neither owns nor may read (migrations excepted). */
function foreignTableUses(files: SourceFile[]): TableUse[] {
  const uses = new Map<string, TableUse>();
  for (const f of files) {
    if (f.path.startsWith('libs/database/src/migrations/')) continue; // the schema's history names every table
    for (const lit of literals(f.text)) {
      for (const m of lit.matchAll(TABLE_AFTER)) {
        const table = m[1].toLowerCase();
        const owner = ownerOf.get(table);
        if (!owner || owner === f.lib || READABLE_BY_OTHERS[owner]?.includes(table)) continue;
        uses.set(`${f.path} ${table}`, { lib: f.lib, path: f.path, table });
      }
    }
  }
  return [...uses.values()];
}

/**
 * Known violations still to be fixed (issue 15, part 1), one per file and table. The test fails
 * on any use not listed here, and on a listed one that is gone (so the list only shrinks).
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

const key = (u: TableUse) => `${u.path} ${u.table}`;

describe('table ownership', () => {
  it('every table the migrations create has exactly one owning library', () => {
    const owners = Object.values(TABLE_OWNERS).flat();
    expect(owners.filter((t, i) => owners.indexOf(t) !== i)).toEqual([]);
    expect([...owners].sort()).toEqual(migratedTables());
  });

  it('every view the migrations create has an owner, and what owners export exists', () => {
    expect(Object.keys(VIEW_OWNERS).sort()).toEqual(migratedViews());
    for (const [lib, names] of Object.entries(READABLE_BY_OTHERS)) {
      for (const n of names) expect(`${n}: ${ownerOf.get(n)}`).toBe(`${n}: ${lib}`);
    }
  });

  it('no library names in SQL a table it neither owns nor may read (beyond the known list)', () => {
    const found = foreignTableUses(librarySources()).map(key).sort();
    expect(found.filter((k) => !KNOWN_VIOLATIONS.includes(k))).toEqual([]);
    expect(KNOWN_VIOLATIONS.filter((k) => !found.includes(k))).toEqual([]);
  });

  it('the check catches a join on another library’s table, and only that', () => {
    const text = 'const sql = `select r.code from risk_objects r join divisions d on d.id = r.division_id`; // from divisions';
    const uses = foreignTableUses([{ lib: 'geo', path: 'libs/geo/src/x.ts', text }]);
    expect(uses).toEqual([{ lib: 'geo', path: 'libs/geo/src/x.ts', table: 'divisions' }]);
    const allowed = 'const sql = `select r.code from risk_objects r join registry_divisions d on d.id = r.division_id`;';
    expect(foreignTableUses([{ lib: 'geo', path: 'libs/geo/src/x.ts', text: allowed }])).toEqual([]);
  });
});
