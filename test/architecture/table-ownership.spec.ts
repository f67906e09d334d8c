import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { librarySources, ROOT, SourceFile } from './source-files';
import { READABLE_BY_OTHERS, TABLE_OWNERS } from './table-ownership';

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

const ownerOf = new Map(Object.entries(TABLE_OWNERS).flatMap(([lib, tables]) => tables.map((t) => [t, lib] as const)));

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
const KNOWN_VIOLATIONS: readonly string[] = [
  // registry's `divisions` joined directly (to become registry's exported view / helpers):
  'libs/auth/src/users/users.repository.ts divisions',
  'libs/feeds/src/gauges/station-liveness.repository.ts divisions',
  'libs/feeds/src/gauges/station.repository.ts divisions',
  'libs/feeds/src/rainfall/rainfall.repository.ts divisions',
  'libs/feeds/src/seed/gauge-seed.repository.ts divisions',
  'libs/geo/src/risk-objects/risk-object.repository.ts divisions',
  'libs/geo/src/seed/geo-seed-frame.repository.ts divisions',
  'libs/geo/src/seed/geo-seed-shapes.repository.ts divisions',
  'libs/geo/src/seed/place-seed.repository.ts divisions',
  'libs/geo/src/seed/risk-seed.repository.ts divisions',
  'libs/geo/src/shelters/shelter.repository.ts divisions',
  'libs/geo/src/spatial/capacity-check.repository.ts divisions',
  'libs/geo/src/spatial/invariants.repository.ts divisions',
  'libs/geo/src/spatial/shelter-search.repository.ts divisions',
  'libs/geo/src/spatial/spatial.repository.ts divisions',
  'libs/geo/src/spatial/who-must-answer.repository.ts divisions',
  'libs/geo/src/supplies/depot.repository.ts divisions',
  'libs/geo/src/supplies/stock.repository.ts divisions',
  'libs/geo/src/teams/team.repository.ts divisions',
  'libs/notify/src/socket/realtime.repository.ts divisions',
  'libs/notify/src/socket/realtime.service.ts divisions',
  // registry's boundary parts (the GiST probe table) read by geo's spatial queries:
  'libs/geo/src/spatial/who-must-answer.repository.ts division_boundary_parts',
  // auth's `users` read by the realtime channel (should ask auth's service):
  'libs/notify/src/socket/realtime.repository.ts users',
  // geo's `risk_objects` read by the gauge seed (should ask geo's service):
  'libs/feeds/src/seed/gauge-seed.repository.ts risk_objects',
];

const key = (u: TableUse) => `${u.path} ${u.table}`;

describe('table ownership', () => {
  it('every table the migrations create has exactly one owning library', () => {
    const owners = Object.values(TABLE_OWNERS).flat();
    expect(owners.filter((t, i) => owners.indexOf(t) !== i)).toEqual([]);
    expect([...owners].sort()).toEqual(migratedTables());
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
  });
});
