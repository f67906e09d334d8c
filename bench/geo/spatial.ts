/**
 * Bench: the command room's spatial questions on the seeded Linhai registry and geo lists (when
 * the seed has no geo yet, a synthetic set: sql/synthetic-geo.sql, 230 zones and 283 shelters).
 * Prints figures; it is not a test.
 *   - who must answer for a rectangle covering a third of the city, and for the whole city;
 *   - nearest 5 open shelters for every flash-flood zone;
 * each through the service (area checks, scope, 2-4 statements, reasons assembled in code) and
 * as one raw SQL statement (sql/*.sql) in the same run, with p50/p95 and the ratio; then which
 * GiST indexes the planner picks on these sizes, and whether subdividing boundaries pays.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/geo/spatial.ts
 *
 * Database: `fangxun_bench_geo` on the server of DATABASE_URL / .data/db.env, dropped and created
 * afresh, seeded by scripts/seed.ts (`npm run seed`), dropped at the end (KEEP_BENCH_DB=1 keeps
 * it); dev data is untouched.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { onServer, serverUrl, withDatabase } from '../support/bench-db';

const DB = 'fangxun_bench_geo';
const sql = (name: string) => readFileSync(join(__dirname, 'sql', name), 'utf8');

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (x: number) => `${x.toFixed(2).padStart(8)} ms`;

/** p50/p95 of `runs` timed calls after `warmup` untimed ones; `fn` may run several items per call. */
async function measure(fn: () => Promise<unknown>, runs: number, warmup: number): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: pct(samples, 50), p95: pct(samples, 95) };
}

function report(label: string, service: { p50: number; p95: number }, raw: { p50: number; p95: number }): void {
  console.log(`  ${label}`);
  console.log(`    service (checks, scope, reasons)  p50 ${ms(service.p50)}  p95 ${ms(service.p95)}`);
  console.log(`    one raw SQL statement             p50 ${ms(raw.p50)}  p95 ${ms(raw.p95)}`);
  console.log(
    `    ratio service / SQL               p50 ${(service.p50 / raw.p50).toFixed(2)}x    p95 ${(service.p95 / raw.p95).toFixed(2)}x`,
  );
}

/** The statements a call runs, EXPLAINed (no ANALYZE) on the bench data: which indexes the planner picks. */
async function indexesUsed(ds: DataSource, run: () => Promise<unknown>): Promise<string[]> {
  const seen: Array<[string, unknown[] | undefined]> = [];
  const original = ds.query.bind(ds);
  ds.query = ((q: string, p?: unknown[]) => {
    seen.push([q, p]);
    return original(q, p);
  }) as DataSource['query'];
  try {
    await run();
  } finally {
    delete (ds as { query?: unknown }).query;
  }
  const names = new Set<string>();
  for (const [q, p] of seen.filter(([q]) => /st_intersects|st_dwithin|<->/.test(q))) {
    const rows: Array<{ 'QUERY PLAN': string }> = await ds.query(`explain ${q}`, p);
    for (const r of rows) for (const m of r['QUERY PLAN'].matchAll(/Index (?:Only )?Scan (?:using|on) (\w+)/g)) names.add(m[1]);
  }
  return [...names].sort();
}

async function main(): Promise<void> {
  const url = withDatabase(serverUrl(), DB);
  await onServer(url, `drop database if exists ${DB} with (force)`);
  await onServer(url, `create database ${DB}`);
  process.env.DATABASE_URL = url;
  process.env.DATABASE_MIGRATE_ON_BOOT = 'true';
  process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
  process.env.LOG_LEVEL ??= 'error';
  delete process.env.SEED_DEMO_PASSWORD;
  const seedStart = performance.now();
  const seed = spawnSync('npx', ['ts-node', '-T', '-r', 'tsconfig-paths/register', 'scripts/seed.ts'], {
    cwd: join(__dirname, '../..'),
    env: process.env,
    encoding: 'utf8',
  });
  if (seed.status !== 0) throw new Error(`registry seed failed:\n${seed.stdout}\n${seed.stderr}`);
  const db = new Client({ connectionString: url });
  await db.connect();
  const { createHttpApp } = await import('@fangxun/platform');
  const { WhoMustAnswerService } = await import('@fangxun/geo');
  const { NearestSheltersService } = await import('../../libs/geo/src/spatial/nearest-shelters.service');
  const { ApiModule } = await import('../../apps/api/src/api.module');
  const { getDataSourceToken } = await import('@nestjs/typeorm');
  const app = await createHttpApp(ApiModule);
  await app.init();
  try {
    // The geo seed may not exist yet: generate the synthetic set only into an empty geo.
    const [{ seeded }] = (await db.query('select (select count(*) from risk_objects) + (select count(*) from shelters) > 0 as seeded'))
      .rows;
    if (!seeded) await db.query(sql('synthetic-geo.sql'));
    const counts = (
      await db.query(`
      select (select count(*) from divisions where level = 'town')::int as towns, (select count(*) from divisions where level = 'village')::int as villages,
             (select count(*) from divisions where level = 'grid')::int as grids, (select count(*) from responsibility_holders)::int as holders,
             (select count(*) from risk_objects where type = 'flash_flood_zone')::int as ff, (select count(*) from risk_objects where type = 'geo_hazard_zone')::int as gh,
             (select count(*) from shelters)::int as shelters, (select sum(capacity) from shelters)::int as places`)
    ).rows[0];
    console.log(
      `spatial bench: registry seed + ${seeded ? 'seeded' : 'synthetic'} geo in ${((performance.now() - seedStart) / 1000).toFixed(1)} s — ${counts.towns} towns, ` +
        `${counts.villages} villages, ${counts.grids} grids, ${counts.holders} holders; ${counts.ff} flash-flood + ${counts.gh} geo-hazard zones, ` +
        `${counts.shelters} shelters (${counts.places} places)`,
    );
    const [{ city }] = (await db.query(`select code as city from divisions where level = 'city'`)).rows;
    const third = await thirdOfCity(db, city);
    const who = app.get(WhoMustAnswerService);
    const rawWho = sql('who-must-answer.sql');
    const [{ outline }] = (await db.query(`select st_asgeojson(boundary, 15) as outline from divisions where code = $1`, [city])).rows;

    for (const [label, area, geojson, runs] of [
      ['who must answer: rectangle over a third of the city', { polygon: JSON.parse(third) }, third, 40],
      ['who must answer: the whole city (divisionCodes: [city])', { divisionCodes: [city] }, outline, 15],
    ] as const) {
      const answer = await who.resolve(area);
      const rows = (await db.query(rawWho, [geojson])).rows as Array<{ active: boolean; reasons: unknown[] }>;
      const reasons = [...answer.people, ...answer.unreachable].reduce((n, p) => n + p.reasons.length, 0);
      const rawReasons = rows.reduce((n, r) => n + r.reasons.length, 0);
      console.log(
        `\n  ${label}: ${answer.riskObjects.length} objects, ${answer.divisions.length} towns/villages; ` +
          `${answer.people.length} people + ${answer.unreachable.length} unreachable, ${reasons} reasons ` +
          `(raw SQL: ${rows.length} people, ${rawReasons} reasons${rows.length === answer.people.length + answer.unreachable.length && rawReasons === reasons ? ', same' : ', DIFFERENT'})`,
      );
      report(
        `${runs} runs after 3 warm-up`,
        await measure(() => who.resolve(area), runs, 3),
        await measure(() => db.query(rawWho, [geojson]), runs, 3),
      );
    }

    const zones: string[] = (await db.query(`select code from risk_objects where type = 'flash_flood_zone' order by code`)).rows.map(
      (r) => r.code,
    );
    const nearest = app.get(NearestSheltersService, { strict: false });
    const rawNearest = sql('nearest-shelters.sql');
    let same = 0;
    for (const code of zones) {
      const a = (await nearest.find(undefined, { riskObjectCode: code, limit: 5, minFree: 1 })).shelters.map((s) => s.code);
      const b = (await db.query(rawNearest, [code, 5, 1, 21])).rows.map((r) => r.code);
      if (a.join() === b.join()) same++;
    }
    console.log(
      `\n  nearest 5 open shelters with a free place, for each of ${zones.length} flash-flood zones (${same}/${zones.length} answers identical)`,
    );
    const perZone = (fn: (code: string) => Promise<unknown>) => {
      let i = 0;
      return () => fn(zones[i++ % zones.length]);
    };
    report(
      `one zone per call, ${zones.length * 3} calls after ${zones.length} warm-up`,
      await measure(
        perZone((c) => nearest.find(undefined, { riskObjectCode: c, limit: 5, minFree: 1 })),
        zones.length * 3,
        zones.length,
      ),
      await measure(
        perZone((c) => db.query(rawNearest, [c, 5, 1, 21])),
        zones.length * 3,
        zones.length,
      ),
    );

    const ds = app.get<DataSource>(getDataSourceToken());
    console.log('\n  indexes the planner picks on these sizes (EXPLAIN of each spatial statement the call runs):');
    console.log(
      `    who must answer, third of city : ${(await indexesUsed(ds, () => who.resolve({ polygon: JSON.parse(third) }))).join(', ')}`,
    );
    const center = (
      await db.query(`select st_x(c) as x, st_y(c) as y from (select st_pointonsurface(boundary) as c from divisions where code = $1) p`, [
        city,
      ])
    ).rows[0];
    console.log(
      `    who must answer, 5 km circle   : ${(await indexesUsed(ds, () => who.resolve({ circle: { center: [center.x, center.y], radiusKm: 5 } }))).join(', ')}`,
    );
    console.log(
      `    nearest shelters (KNN)         : ${(await indexesUsed(ds, () => nearest.find(undefined, { riskObjectCode: zones[0], limit: 5 }))).join(', ')}`,
    );

    await subdivisionPayoff(db, city, third);
  } finally {
    await db.end();
    await app.close();
    if (!process.env.KEEP_BENCH_DB) await onServer(url, `drop database if exists ${DB} with (force)`);
  }
}

/** Median EXPLAIN ANALYZE execution time of a statement (ms) and its result. */
async function explainMs(db: Client, statement: string, params: unknown[] = [], runs = 7): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [{ 'QUERY PLAN': plan }] = (await db.query(`explain (analyze, format json) ${statement}`, params)).rows;
    times.push(plan[0]['Execution Time'] as number);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/**
 * Does testing ≤ 256-vertex pieces (division_boundary_parts) beat testing whole boundaries?
 * On the seeded city, then on a synthetic 50,000-vertex polygon probed by 2,000 points.
 */
async function subdivisionPayoff(db: Client, city: string, third: string): Promise<void> {
  const [stats] = (
    await db.query(`select max(st_npoints(boundary))::int as most, count(*) filter (where st_npoints(boundary) > 256)::int as big,
      (select count(*) from division_boundary_parts)::int as parts, (select count(*) from risk_objects)::int as objects from divisions`)
  ).rows;
  console.log(`
  subdividing boundaries: largest has ${stats.most} vertices, ${stats.big} have > 256; ${stats.parts} parts in all (EXPLAIN ANALYZE, median of 7)`);
  const a = `(select st_setsrid(st_geomfromgeojson($1::text), 4326) as g) a`;
  const pairs: Array<[string, string, string, unknown[]]> = [
    [
      'towns/villages/grids meeting the third-of-city rectangle',
      `select count(*) from divisions d, ${a} where d.level <> 'city' and st_intersects(d.boundary, a.g)`,
      `select count(distinct bp.division_id) from division_boundary_parts bp, ${a} where bp.level <> 'city' and st_intersects(bp.geom, a.g)`,
      [third],
    ],
    [
      `city and town holding each of the ${stats.objects} risk objects (point on surface)`,
      `select count(*) from risk_objects r join divisions d on d.level in ('city', 'town') and st_intersects(d.boundary, st_pointonsurface(r.geom))`,
      `select count(*) from (select distinct r.id, bp.division_id from risk_objects r join division_boundary_parts bp
         on bp.level in ('city', 'town') and st_intersects(bp.geom, st_pointonsurface(r.geom))) x`,
      [],
    ],
  ];
  await db.query(`create temp table big as select st_buffer(st_pointonsurface(boundary)::geography, 25000, 'quad_segs=12500')::geometry as geom
    from divisions where code = '${city}'`);
  await db.query(`create temp table big_parts as select st_subdivide(geom, 256) as geom from big`);
  await db.query(`create temp table probes as
    select row_number() over () as id, g from (select (st_dump(st_generatepoints(st_envelope(geom), 2000, 7))).geom as g from big) p`);
  for (const t of ['big', 'big_parts']) await db.query(`create index on ${t} using gist (geom); analyze ${t}`);
  await db.query('create index on probes using gist (g); analyze probes');
  pairs.push([
    'synthetic 50,000-vertex polygon, 2,000 probe points',
    'select count(*) from probes p join big b on st_intersects(b.geom, p.g)',
    'select count(distinct p.id) from probes p join big_parts b on st_intersects(b.geom, p.g)',
    [],
  ]);
  for (const [label, whole, parts, params] of pairs) {
    const [w, s] = [(await db.query(whole, params)).rows[0].count, (await db.query(parts, params)).rows[0].count];
    const [tw, tp] = [await explainMs(db, whole, params), await explainMs(db, parts, params)];
    console.log(
      `    ${label}: whole boundaries ${ms(tw)}, parts ${ms(tp)} (${(tw / tp).toFixed(1)}x; ${w} = ${s} rows${w === s ? '' : ' MISMATCH'})`,
    );
  }
}

/** A rectangle (west part of the city's bounding box) whose overlap with the city is a third of its area. */
async function thirdOfCity(db: Client, city: string): Promise<string> {
  const [b] = (
    await db.query(
      `select st_xmin(boundary) x0, st_xmax(boundary) x1, st_ymin(boundary) y0, st_ymax(boundary) y1 from divisions where code = $1`,
      [city],
    )
  ).rows;
  let lo = Number(b.x0);
  let hi = Number(b.x1);
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    const [{ share }] = (
      await db.query(
        `select st_area(st_intersection(boundary, st_makeenvelope($2, $3, $4, $5, 4326))::geography) / st_area(boundary::geography) as share
         from divisions where code = $1`,
        [city, b.x0, b.y0, mid, b.y1],
      )
    ).rows;
    if (share < 1 / 3) lo = mid;
    else hi = mid;
  }
  const [{ g }] = (await db.query(`select st_asgeojson(st_makeenvelope($1, $2, $3, $4, 4326), 15) as g`, [b.x0, b.y0, hi, b.y1])).rows;
  return g;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
