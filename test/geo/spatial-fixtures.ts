import type { DataSource } from 'typeorm';
import type { HolderRole } from '@fangxun/registry';
import type { TestApp } from '../support/app';
import { seedTree, TREE } from '../support/fixtures';

/**
 * Hand-built geometry for the spatial tests, so that every right answer is known by
 * construction. Rows go in with plain SQL: these tests do not depend on the CRUD services.
 *
 *   x = longitude, y = latitude; the city is 121.0–121.4 × 28.7–28.9
 *   ┌──────────── townA 古城街道 ────────────┬──────────── townB 东塍镇 ─────────────┐ 28.9
 *   │                 │ villageA 东湖村       │ villageB 岭根村 (its grid has NO      │
 *   │                 │ G02 121.10–121.15     │ boundary)  121.2–121.3                 │
 *   │                 │ G01 121.15–121.20     │                                        │ 28.8
 *   │                                         │                                        │
 *   └─────────────────────────────────────────┴────────────────────────────────────────┘ 28.7
 *  121.0                                    121.2                                    121.4
 */
export const GRID_A2 = '331082001001G02';

export type Ring = number[][];
export type PolygonJson = { type: 'Polygon'; coordinates: Ring[] };
export type GeometryJson = PolygonJson | { type: 'Point'; coordinates: number[] } | { type: 'LineString'; coordinates: number[][] };

export const box = (x1: number, y1: number, x2: number, y2: number): PolygonJson => ({
  type: 'Polygon',
  coordinates: [
    [
      [x1, y1],
      [x2, y1],
      [x2, y2],
      [x1, y2],
      [x1, y1],
    ],
  ],
});
export const point = (x: number, y: number) => ({ type: 'Point' as const, coordinates: [x, y] });

// WGS 84: metres per degree along a parallel is N(φ)·cos φ·π/180 (prime-vertical radius N).
const A = 6378137;
const E2 = 0.00669437999014;
const rad = (d: number) => (d * Math.PI) / 180;
export function metresPerDegreeLon(lat: number): number {
  return ((A / Math.sqrt(1 - E2 * Math.sin(rad(lat)) ** 2)) * Math.cos(rad(lat)) * Math.PI) / 180;
}
/** Metres per degree along a meridian: M(φ)·π/180 (meridional radius M). */
export function metresPerDegreeLat(lat: number): number {
  return ((A * (1 - E2)) / (1 - E2 * Math.sin(rad(lat)) ** 2) ** 1.5) * (Math.PI / 180);
}
export const latDegrees = (m: number, lat: number) => m / metresPerDegreeLat(lat);
/** Degrees of longitude that make `m` metres east-west at this latitude. */
export const lonDegrees = (m: number, lat: number) => m / metresPerDegreeLon(lat);
/**
 * Geodesic distance between two points on one parallel a small Δλ apart: for a few km the
 * geodesic and the parallel differ by far less than a millimetre.
 */
export const eastWestMetres = (dLon: number, lat: number) => Math.abs(dLon) * metresPerDegreeLon(lat);

/** The fixture tree (support/fixtures seedTree) plus a second grid, and boundaries as drawn above. */
export async function seedSpatialTree(ds: DataSource): Promise<void> {
  await seedTree(ds);
  await ds.query(
    `insert into divisions (code, name, level, parent_id, path)
     select $1::varchar, '东湖村第二网格', 'grid', p.id, p.path || $1::varchar::text from divisions p where p.code = $2`,
    [GRID_A2, TREE.villageA],
  );
  const boundaries: Array<[string, PolygonJson]> = [
    [TREE.city, box(121.0, 28.7, 121.4, 28.9)],
    [TREE.townA, box(121.0, 28.7, 121.2, 28.9)],
    [TREE.townB, box(121.2, 28.7, 121.4, 28.9)],
    [TREE.villageA, box(121.1, 28.8, 121.2, 28.9)],
    [TREE.villageB, box(121.2, 28.8, 121.3, 28.9)],
    [TREE.gridA, box(121.15, 28.8, 121.2, 28.9)],
    [GRID_A2, box(121.1, 28.8, 121.15, 28.9)],
  ];
  for (const [code, g] of boundaries) {
    await ds.query(`update divisions set boundary = st_multi(st_setsrid(st_geomfromgeojson($2), 4326)) where code = $1`, [
      code,
      JSON.stringify(g),
    ]);
  }
}

let phone = 0;
export async function addHolder(
  ds: DataSource,
  h: { name: string; role: HolderRole; division: string; superior?: string; active?: boolean },
): Promise<string> {
  const [row]: Array<{ id: string }> = await ds.query(
    `insert into responsibility_holders (name, role, division_id, mobile, superior_id, active)
     select $1, $2::holder_role, id, $4, $5, $6 from divisions where code = $3 returning id`,
    [h.name, h.role, h.division, `+86199${String(++phone).padStart(8, '0')}`, h.superior ?? null, h.active ?? true],
  );
  return row.id;
}

export async function addRiskObject(
  ds: DataSource,
  o: {
    code: string;
    type?: string;
    division: string;
    geom: GeometryJson;
    people?: number;
    primary?: string;
    backup?: string;
    name?: string;
  },
): Promise<string> {
  const [row]: Array<{ id: string }> = await ds.query(
    `insert into risk_objects (code, name, type, division_id, geom, threatened_people, primary_holder_id, backup_holder_id)
     select $1, $2, $3::risk_type, id, st_setsrid(st_geomfromgeojson($5), 4326), $6, $7, $8 from divisions where code = $4 returning id`,
    [
      o.code,
      o.name ?? o.code,
      o.type ?? 'flash_flood_zone',
      o.division,
      JSON.stringify(o.geom),
      o.people ?? 0,
      o.primary ?? null,
      o.backup ?? null,
    ],
  );
  return row.id;
}

export async function addShelter(
  ds: DataSource,
  s: {
    code: string;
    division: string;
    at: [number, number];
    capacity: number;
    occupancy?: number;
    reserved?: number;
    open?: boolean;
    manager?: string | null;
  },
): Promise<string> {
  const [row]: Array<{ id: string }> = await ds.query(
    `insert into shelters (code, name, tier, division_id, location, capacity, occupancy, reserved, open, manager_holder_id)
     select $1, $1, case level when 'village' then 'village' when 'town' then 'town' else 'city' end::shelter_tier, id,
            st_setsrid(st_makepoint($3, $4), 4326), $5, $6, $7, $8, $9 from divisions where code = $2 returning id`,
    [s.code, s.division, s.at[0], s.at[1], s.capacity, s.occupancy ?? 0, s.reserved ?? 0, s.open ?? true, s.manager ?? null],
  );
  return row.id;
}

export async function assignShelter(ds: DataSource, objectCode: string, shelterCode: string, preference: number): Promise<void> {
  await ds.query(
    `insert into risk_object_shelters (risk_object_id, shelter_id, preference)
     select r.id, s.id, $3 from risk_objects r, shelters s where r.code = $1 and s.code = $2`,
    [objectCode, shelterCode, preference],
  );
}

export async function addIndicators(ds: DataSource, objectCode: string): Promise<void> {
  await ds.query(
    `insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm)
     select id, 3, 50, 80 from risk_objects where code = $1`,
    [objectCode],
  );
}

/**
 * EXPLAIN of every spatial statement a request ran, with sequential scans priced out: the
 * fixture tables are tiny, so this proves an index *can* serve the query (expression and
 * operators match); the bench shows the planner choosing it on city-sized data.
 */
export async function spatialPlans(t: TestApp, run: () => Promise<unknown>): Promise<string> {
  const spy = jest.spyOn(t.ds, 'query');
  await run();
  const calls = spy.mock.calls.filter(([sql]) => /st_intersects|st_dwithin|<->/.test(String(sql)));
  spy.mockRestore();
  const plans: string[] = [];
  for (const [sql, params] of calls) {
    const qr = t.ds.createQueryRunner();
    await qr.startTransaction();
    try {
      await qr.query('set local enable_seqscan = off');
      const rows: Array<Record<string, string>> = await qr.query(`explain ${String(sql)}`, params as unknown[]);
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
  }
  return plans.join('\n');
}
