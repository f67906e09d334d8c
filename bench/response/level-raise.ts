/**
 * Bench: a level raise that re-scopes BENCH_CALLS (5,000) open wake-up calls. A red campaign
 * calls 5,000 grid holders of one town (nobody answers); a commander starts flood IV over the
 * town (IV's 20 minutes are not stricter than red's 10: nothing re-planned), then raises it to III
 * (8 minutes): in the raise's one transaction every silent call's deadline and pending timer
 * move, the village and town heads III adds are woken, the checklist grows. Timed through the
 * HTTP route, BENCH_ROUNDS times (raise III, lower IV to undo… then raise again), against one
 * bare `UPDATE` of the same call rows' deadlines in the same run. Prints figures; not a test.
 *
 *   npm run bench -- bench/response
 *
 * Database `fangxun_bench_response`, created afresh and dropped at the end (KEEP_BENCH_DB=1 keeps it).
 */
import 'reflect-metadata';
import request from 'supertest';
import { useFreshBenchDatabase } from '../support/bench-db';

const DB = process.env.BENCH_DB ?? 'fangxun_bench_response';
const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const db = await useFreshBenchDatabase(DB);
  const { createHttpApp } = await import('@fangxun/platform');
  const { ApiModule } = await import('../../apps/api/src/api.module');
  const { APP_CONFIG } = await import('@fangxun/config');
  const { CampaignService } = await import('@fangxun/wakeup');
  const { JwtService } = await import('@nestjs/jwt');
  const { getDataSourceToken } = await import('@nestjs/typeorm');
  const app = await createHttpApp(ApiModule);
  await app.init();
  const ds = app.get(getDataSourceToken());
  const config = app.get(APP_CONFIG);
  try {
    const box = (w: number, s: number, e: number, n: number) =>
      `st_multi(st_geomfromtext('POLYGON((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s}))', 4326))`;
    await ds.query(
      `insert into divisions (code, name, level, path, boundary) values ('331082', '临海市', 'city', '331082', ${box(121.0, 28.8, 121.4, 29.0)})`,
    );
    for (const [code, name, level, parent] of [
      ['331082004', '大田街道', 'town', '331082'],
      ['331082004201', '大田村', 'village', '331082004'],
      ['331082004201G01', '大田村第一网格', 'grid', '331082004201'],
    ]) {
      await ds.query(
        `insert into divisions (code, name, level, parent_id, path, boundary)
         select $1::varchar, $2, $3::division_level, p.id, p.path || $1::varchar::text, ${box(121.1, 28.8, 121.2, 29.0)} from divisions p where p.code = $4`,
        [code, name, level, parent],
      );
    }
    await ds.query(
      `insert into responsibility_holders (name, role, division_id, mobile)
       select '镇长', 'town_head'::holder_role, id, '+8619900100001' from divisions where code = '331082004'
       union all select '村书记', 'village_head'::holder_role, id, '+8619900100002' from divisions where code = '331082004201'`,
    );
    const people: Array<{ id: string; name: string; mobile: string }> = await ds.query(
      `insert into responsibility_holders (name, role, division_id, mobile)
       select '网格员' || g, 'patroller', d.id, '+86199002' || lpad(g::text, 5, '0') from generate_series(1, $1) g,
              (select id from divisions where code = '331082004201G01') d
       returning id, name, mobile`,
      [CALLS],
    );
    const campaigns = app.get(CampaignService);
    const started = await campaigns.start({
      source: 'manual',
      sourceKey: 'bench:red',
      warningKind: 'rainstorm',
      level: 'red',
      title: '暴雨红色预警（bench）',
      message: 'bench',
      drill: true,
      createdBy: 'bench',
      recipients: people.map((p) => ({
        holderId: p.id,
        name: p.name,
        role: 'patroller',
        divisionCode: '331082004201G01',
        divisionPath: '331082.331082004.331082004201.331082004201G01',
        mobile: p.mobile,
        reasons: [{ kind: 'grid_holder', text: 'bench' }],
      })),
      unreachable: [],
      ruleName: null,
      area: {},
    });
    const [commander] = await ds.query(
      `insert into users (username, display_name, password_hash, role, division_id)
       select 'bench-commander', 'bench', 'not-a-hash', 'commander', id from divisions where code = '331082' returning id, division_id as "divisionId"`,
    );
    const token = new JwtService({ secret: config.auth.jwtSecret }).sign(
      {
        sub: commander.id,
        username: 'bench-commander',
        role: 'commander',
        divisionId: commander.divisionId,
        divisionCode: '331082',
        divisionPath: '331082',
      },
      { algorithm: 'HS256', issuer: config.auth.jwtIssuer, expiresIn: 3600 },
    );
    const http = app.getHttpServer();
    const post = (path: string, body: object) =>
      request(http).post(`/api/v1/response/incidents${path}`).set('Authorization', `Bearer ${token}`).send(body);
    const start = await post('', { kind: 'flood', level: 'IV', townCodes: ['331082004'], reason: 'bench' });
    if (start.status !== 201) throw new Error(`start: ${start.status} ${JSON.stringify(start.body)}`);
    let { id, version } = start.body as { id: string; version: number };
    console.log(`  ${started.calls} open calls in one red campaign; flood IV started over the town`);

    const raise: number[] = [];
    const bare: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let t0 = process.hrtime.bigint();
      const up = await post(`/${id}/raise`, { version, level: 'III', reason: `bench raise ${r}` });
      raise.push(ms(t0));
      if (up.status !== 200) throw new Error(`raise: ${up.status} ${JSON.stringify(up.body)}`);
      const [last] = (await ds.query(`select effects from response_level_changes where incident_id = $1 order by id desc limit 1`, [
        id,
      ])) as Array<{
        effects: { replannedCalls: number; woken: number };
      }>;
      if (r === 0) console.log(`  raise IV → III: ${last.effects.replannedCalls} calls re-planned, ${last.effects.woken} woken`);
      t0 = process.hrtime.bigint();
      await ds.query(`update wakeup_calls set deadline_at = deadline_at + interval '0 s' where campaign_id = $1`, [started.campaignId]);
      bare.push(ms(t0));
      const down = await post(`/${id}/lower`, { version: up.body.version, level: 'IV', reason: `bench lower ${r}` });
      if (down.status !== 200) throw new Error(`lower: ${down.status} ${JSON.stringify(down.body)}`);
      version = down.body.version;
      id = down.body.id;
    }
    const m = median(raise);
    const b = median(bare);
    console.log(
      `  raise re-scoping ${CALLS} calls (HTTP, one transaction): median ${(m / 1000).toFixed(2)} s over ${ROUNDS} rounds (${raise.map((x) => x.toFixed(0)).join(', ')} ms)`,
    );
    console.log(`  bare UPDATE of the same ${CALLS} call rows: median ${b.toFixed(0)} ms; ratio ${(m / b).toFixed(1)}×`);
  } finally {
    await app.close();
    await db.drop();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
