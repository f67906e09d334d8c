import request from 'supertest';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@fangxun/config';
import { EvacuationJobs, EvacuationJobsModule } from '@fangxun/evacuation';
import { WakeupJobs, WakeupJobsModule } from '@fangxun/wakeup';
import { ApiModule } from '../../apps/api/src/api.module';
import { utf8Csv } from '../fixtures/import/files';
import { bootCustom, CustomApp, truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedTree, seedUsers, TREE } from '../support/fixtures';
import { eventually } from '../wakeup/wakeup.support';
import { Person, seedWorld } from '../wakeup/wakeup.world';

export interface EvacApp extends CustomApp {
  evac: EvacuationJobs;
  wakeup: WakeupJobs;
  tok: Record<string, string>;
  ids: Record<Person, string>;
}

/** Tasks go no farther than this in the evacuation tests (config evacuation.maxShelterDistanceM). */
export const MAX_DISTANCE_M = 5000;

/**
 * The API with the worker's wake-up and evacuation loops (ticked by the test only), on the
 * wake-up test world (TREE, its holders, flash-flood zone FF-A in grid A with 山洪预警员A as
 * primary holder), logged in.
 */
export async function bootEvacuation(clock: FakeClock): Promise<EvacApp> {
  const base = loadConfig();
  const config = {
    ...base,
    wakeup: { ...base.wakeup, tickMs: 3_600_000, wakeOnOutbox: false, boardPushMs: 200 },
    evacuation: { ...base.evacuation, tickMs: 3_600_000, maxShelterDistanceM: MAX_DISTANCE_M },
  };
  const t = await bootCustom({ imports: [ApiModule, WakeupJobsModule, EvacuationJobsModule], config, clock, listen: true });
  await truncateAll(t.ds);
  await seedTree(t.ds);
  await seedUsers(t.ds);
  const ids = await seedWorld(t.ds);
  const tok = await loginAll(t);
  return { ...t, evac: t.app.get(EvacuationJobs), wakeup: t.app.get(WakeupJobs), tok, ids };
}

/**
 * Ticks the evacuation loop until `check` passes. An outbox event is handed out once every older
 * transaction has ended — on the whole server, other databases included (pg_snapshot_xmin), so a
 * long seed in a parallel test file can hold it back for a while: hence the generous wait.
 */
export const OUTBOX_WAIT_MS = 90_000;
export async function evacTickUntil(t: EvacApp, check: () => void | Promise<void>, ms = OUTBOX_WAIT_MS): Promise<void> {
  await eventually(async () => {
    await t.evac.tick();
    await check();
  }, ms);
}

export async function addShelter(
  ds: DataSource,
  code: string,
  division: string,
  lon: number,
  lat: number,
  capacity: number,
): Promise<void> {
  await ds.query(
    `insert into shelters (code, name, tier, division_id, location, capacity)
     select $1::text, $1::text || '避灾点', 'village', d.id, st_setsrid(st_makepoint($3, $4), 4326), $5 from divisions d where d.code = $2`,
    [code, division, lon, lat, capacity],
  );
}

/** A flash-flood zone: a small square at (lon, lat) in `division`, primary holder `holderId`. */
export async function addZone(ds: DataSource, code: string, division: string, lon: number, lat: number, holderId: string): Promise<void> {
  const d = 0.01;
  await ds.query(
    `insert into risk_objects (code, name, type, division_id, geom, primary_holder_id)
     select $1::text, $1::text || '山洪危险区', 'flash_flood_zone', d.id, st_makeenvelope($3::float8, $4::float8, $3::float8 + $6::float8, $4::float8 + $6::float8, 4326), $5
     from divisions d where d.code = $2`,
    [code, division, lon, lat, holderId, d],
  );
}

/** Households through the real import: [code, riskObjectCode, members, responsible mobile, shelter code]. */
export async function importHouseholds(t: EvacApp, rows: Array<[string, string, number, string, string]>): Promise<void> {
  const file = utf8Csv([
    ['code', 'riskObjectCode', 'headName', 'headPhone', 'members', 'responsibleMobile', 'shelterCode'],
    ...rows.map(([code, object, members, mobile, shelter], i) => [
      code,
      object,
      `户主${i + 1}`,
      `+86137${String(10_000_000 + i).slice(-8)}`,
      String(members),
      mobile,
      shelter,
    ]),
  ]);
  const res = await request(t.http)
    .post('/api/v1/evacuation/households/import')
    .set({ Authorization: `Bearer ${t.tok.commander}` })
    .attach('file', file, 'h.csv');
  if (res.status !== 200 || res.body.rejected) throw new Error(`import: ${res.status} ${JSON.stringify(res.body)}`);
}

export { TREE };
