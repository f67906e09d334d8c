/**
 * Bench: 100,000 gauge readings through the real HTTP API (POST /api/v1/readings, content type
 * application/vnd.fangxun.readings+json, an API key with feeds:write, batches of 10,000: every
 * per-row check, the upsert with corrections, the neighbour checks, station liveness), then the
 * rolling sums of every station (RainfallService.sumsAt, 1/3/6/24 h…) and one threshold
 * evaluation over all stations (ThresholdService.evaluate: town rainstorm signals and every
 * flash-flood zone). Beside it, in the same run, the bare baseline: the same rows in one
 * multi-row INSERT into readings, no checks. The pushes run twice: into a fresh readings table
 * (truncated, then VACUUM ANALYZE while empty, as on a new install) and into a table holding
 * the same rows 30 days earlier as analysed history. Prints rows/s for each, the ratio to the
 * bare insert and the cores. Prints figures; it is not a test.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/feeds/readings.ts
 *
 * Database: `fangxun_bench_readings` on the server of DATABASE_URL / .data/db.env, created
 * afresh and seeded by scripts/seed.ts (the Linhai registry, geo lists and gauge network: 155
 * stations, 81 flash-flood zones), dropped at the end (KEEP_BENCH_DB=1 keeps it).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { onServer, serverUrl, withDatabase } from '../support/bench-db';

const DB = 'fangxun_bench_readings';
const N = 100_000;
const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
/** Peak rain per station per 10 minutes; the storm rises to it and fades (BENCH_PEAK_MM overrides). */
const PEAK_MM = Number(process.env.BENCH_PEAK_MM ?? 2);
const STEP_MIN = 10;
const TYPE = 'application/vnd.fangxun.readings+json';

interface Station {
  id: string;
  code: string;
  kind: 'rain' | 'water_level' | 'reservoir_level';
  lon: number;
}
interface Row {
  stationCode: string;
  stationId: string;
  observedAt: string;
  value: number;
  intervalMinutes?: number;
}

/**
 * Time-major rows ending 5 minutes ago, every STEP_MIN minutes per station: a storm that
 * swells and fades over the period (rain varies smoothly west to east, so the neighbour checks
 * flag little), river and reservoir stages rising with it.
 */
function makeRows(stations: Station[], end: number): Row[] {
  const steps = Math.ceil(N / stations.length);
  const rows: Row[] = [];
  for (let k = 0; k < steps && rows.length < N; k++) {
    const t = end - (steps - 1 - k) * STEP_MIN * 60_000;
    const storm = Math.max(0, Math.sin((Math.PI * k) / steps));
    for (const s of stations) {
      if (rows.length === N) break;
      const observedAt = new Date(t).toISOString();
      if (s.kind === 'rain') {
        const mm = Math.round(storm * PEAK_MM * (1 + 0.3 * Math.sin(s.lon * 40)) * 10) / 10;
        rows.push({ stationCode: s.code, stationId: s.id, observedAt, value: mm, intervalMinutes: STEP_MIN });
      } else {
        const base = s.kind === 'reservoir_level' ? 42 : 3.5;
        rows.push({ stationCode: s.code, stationId: s.id, observedAt, value: Math.round((base + 2 * storm) * 100) / 100 });
      }
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const url = withDatabase(serverUrl(), DB);
  await onServer(url, `drop database if exists ${DB} with (force)`);
  await onServer(url, `create database ${DB}`);
  process.env.DATABASE_URL = url;
  process.env.DATABASE_MIGRATE_ON_BOOT = 'true';
  process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
  process.env.LOG_LEVEL ??= 'error';
  const password = randomBytes(12).toString('hex');
  const seedStart = performance.now();
  const seed = spawnSync('npx', ['ts-node', '-T', '-r', 'tsconfig-paths/register', 'scripts/seed.ts'], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, SEED_DEMO_PASSWORD: password },
    encoding: 'utf8',
  });
  if (seed.status !== 0) throw new Error(`seed failed:\n${seed.stdout}\n${seed.stderr}`);
  const seedMs = performance.now() - seedStart;

  const { createHttpApp } = await import('@fangxun/platform');
  const { RainfallService, DEFAULT_WINDOWS, ThresholdService } = await import('@fangxun/feeds');
  const { ApiModule } = await import('../../apps/api/src/api.module');
  const { getDataSourceToken } = await import('@nestjs/typeorm');
  const app = await createHttpApp(ApiModule);
  await app.listen(0, '127.0.0.1');
  try {
    const ds = app.get<DataSource>(getDataSourceToken());
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
    const post = async (path: string, body: string, headers: Record<string, string>) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', body, headers });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const login = await post('/auth/login', JSON.stringify({ username: 'commander', password }), { 'Content-Type': 'application/json' });
    const created = await post('/api-keys', JSON.stringify({ name: 'bench gauge gateway', scopes: ['feeds:write'] }), {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${login.accessToken as string}`,
    });
    const key = created.key as string;

    const stations: Station[] = await ds.query(
      `select id, code, kind::text as kind, st_x(geom) as lon from stations where active order by code`,
    );
    const kinds = stations.reduce<Record<string, number>>((c, s) => ({ ...c, [s.kind]: (c[s.kind] ?? 0) + 1 }), {});
    const [{ zones }] = await ds.query(`select count(*)::int as zones from risk_objects where type = 'flash_flood_zone'`);
    const rows = makeRows(stations, Date.now() - 5 * 60_000);
    const bodies: string[] = [];
    for (let i = 0; i < rows.length; i += BATCH) {
      bodies.push(
        JSON.stringify({
          readings: rows
            .slice(i, i + BATCH)
            .map(({ stationCode, observedAt, value, intervalMinutes }) => ({ stationCode, observedAt, value, intervalMinutes })),
        }),
      );
    }

    // Baseline: the same rows, one multi-row INSERT, no checks, no sums (30 days earlier, so
    // they can stay as history for the second run below).
    const insertHistory = () =>
      ds.query(
        `insert into readings (station_id, observed_at, value, interval_minutes, source)
         select s, o - interval '30 days', v, i, 'push' from unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::int[]) as t(s, o, v, i)`,
        [rows.map((r) => r.stationId), rows.map((r) => r.observedAt), rows.map((r) => r.value), rows.map((r) => r.intervalMinutes ?? null)],
      );
    const t0 = performance.now();
    await insertHistory();
    const bareMs = performance.now() - t0;

    const rate = (ms: number) =>
      `${Math.round((N / ms) * 1000)
        .toLocaleString('en-US')
        .padStart(9)} rows/s`;
    console.log(`cores: ${cpus().length} (os.cpus().length), node ${process.version}`);
    console.log(
      `seed: ${(seedMs / 1000).toFixed(1)} s — ${stations.length} stations (${Object.entries(kinds)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}), ${zones} flash-flood zones`,
    );
    console.log(
      `${N.toLocaleString('en-US')} readings, ${bodies.length} batches of ${BATCH.toLocaleString('en-US')} (~${(bodies[0].length / 1e6).toFixed(1)} MB each), ` +
        `every ${STEP_MIN} min per station, rain peaking at ${PEAK_MM} mm / ${STEP_MIN} min`,
    );
    console.log(`bare baseline (one INSERT, no checks):     ${rate(bareMs)}  (${bareMs.toFixed(0)} ms)`);

    // End to end: HTTP batches, then the rolling sums and one threshold evaluation over everything.
    const run = async (label: string) => {
      const totals = { accepted: 0, inserted: 0, rejected: 0, flagged: 0 };
      const t = performance.now();
      const failed: string[] = [];
      const batchMs: number[] = [];
      for (const [i, body] of bodies.entries()) {
        const b0 = performance.now();
        try {
          const r = await post('/readings', body, { 'Content-Type': TYPE, 'X-API-Key': key });
          for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += Number(r[k] ?? 0);
          batchMs.push(performance.now() - b0);
        } catch (err) {
          // Reported, not fatal: a batch the API cannot take in time is itself the finding.
          failed.push(`batch ${i + 1} after ${(performance.now() - b0).toFixed(0)} ms: ${(err as Error).message.slice(0, 120)}`);
        }
      }
      const ingestMs = performance.now() - t;
      const at = new Date();
      const t1 = performance.now();
      const sums = await app.get(RainfallService).sumsAt(at, DEFAULT_WINDOWS);
      const sumsMs = performance.now() - t1;
      const t2 = performance.now();
      const evaluation = await app.get(ThresholdService).evaluate(at);
      const evalMs = performance.now() - t2;
      const endToEndMs = performance.now() - t;
      console.log(`-- ${label}`);
      console.log(`HTTP push only (checks, upsert, neighbours): ${rate(ingestMs)}  (${ingestMs.toFixed(0)} ms)`);
      console.log(`  per batch: ${batchMs.map((x) => (x / 1000).toFixed(1)).join(', ')} s`);
      console.log(`  + rolling sums (${sums.length} stations, windows ${DEFAULT_WINDOWS.join('/')} h): ${sumsMs.toFixed(0)} ms`);
      console.log(`  + threshold evaluation (${evaluation.subjects} subjects, ${evaluation.crossings} crossings): ${evalMs.toFixed(0)} ms`);
      console.log(`end to end (push + sums + evaluation):    ${rate(endToEndMs)}  (${endToEndMs.toFixed(0)} ms)`);
      console.log(`ratio bare / end to end: ${(endToEndMs / bareMs).toFixed(1)}x slower end to end`);
      console.log(
        `API answers: accepted ${totals.accepted}, inserted ${totals.inserted}, rejected ${totals.rejected}, flagged suspect ${totals.flagged}`,
      );
      for (const f of failed) console.log(`FAILED ${f}`);
    };

    // 1. A fresh install: readings truncated and analysed while empty, so the planner's
    // statistics say "no rows" while each push fills the table.
    await ds.query('truncate readings, reading_revisions');
    await ds.query('vacuum analyze readings');
    await ds.query('vacuum analyze reading_revisions');
    await run('fresh table (truncated + VACUUM ANALYZE before the pushes)');

    // 2. A table with a past: the baseline rows as 30 days of history, analysed.
    await ds.query('truncate readings, reading_revisions');
    await insertHistory();
    await ds.query('analyze readings');
    await run('with history (100,000 older rows, analysed)');
  } finally {
    await app.close();
    if (!process.env.KEEP_BENCH_DB) await onServer(url, `drop database if exists ${DB} with (force)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
