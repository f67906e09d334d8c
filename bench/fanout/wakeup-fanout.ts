/**
 * Bench: a red rainstorm warning over 5,000 wardens (BENCH_CLIENTS), each a real socket.io
 * client on /warden in one of BENCH_PROCS child processes. Per round:
 *  - baseline: a bare `io.of('/warden').emit` to every socket (no database);
 *  - wake-up: POST the CAP XML warning to /api/v1/warnings, and time until each phone has its
 *    `wakeup.call` — through the whole path: warning stored + outbox, the worker's wake-up loop
 *    (production tick, `wakeup.tickMs`), "who must answer", the campaign transaction (5,000 calls,
 *    15,000 timers, 5,000 push events, 5,000 SMS queued), NOTIFY, dispatch, room emits.
 * Rounds are a warning each, the next one sent when the SMS of the previous one have drained.
 * Then every phone answers its last call over the socket (acks/s), and the process's resident
 * memory is read with the sockets connected. Prints figures and the ratio; it is not a test.
 *
 *   npm run bench -- bench/fanout
 *
 * One process runs api + worker (standalone, as `npm start`), SMS through the sandbox provider.
 * Database `fangxun_bench_fanout`, created afresh and dropped at the end (KEEP_BENCH_DB=1 keeps it).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { useFreshBenchDatabase } from '../support/bench-db';
import { launchPhones, now, pct, runPhoneChild } from '../support/warden-phones';

const DB = 'fangxun_bench_fanout';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);
const PROCS = Number(process.env.BENCH_PROCS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const GRID = 'POLYGON((121.0 28.8, 121.1 28.8, 121.1 28.9, 121.0 28.9, 121.0 28.8))';

function capXml(round: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>331082000QX000_20270620${String(round).padStart(2, '0')}0000_${round + 1}</identifier>
  <sender>linhai-qx@zjmb.gov.cn</sender>
  <sent>2027-06-20T08:00:00+08:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info>
    <language>zh-CN</language><category>Met</category><event>暴雨红色预警信号</event>
    <responseType>Evacuate</responseType><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty>
    <expires>${new Date(Date.now() + 86_400_000).toISOString().slice(0, 19)}Z</expires>
    <senderName>临海市气象台</senderName>
    <headline>bench round ${round}</headline>
    <description>3小时内降雨量将达100毫米以上</description>
    <area><areaDesc>古城街道</areaDesc><polygon>28.80,121.00 28.80,121.20 29.00,121.20 29.00,121.00 28.80,121.00</polygon></area>
  </info>
</alert>`;
}

async function main(): Promise<void> {
  const db = await useFreshBenchDatabase(DB);
  delete process.env.REDIS_URL;

  const { createHttpApp } = await import('@fangxun/platform');
  const { StandaloneModule } = await import('../../apps/standalone/src/standalone.module');
  const { RealtimeGateway } = await import('@fangxun/notify');
  const { APP_CONFIG } = await import('@fangxun/config');
  const { JwtService } = await import('@nestjs/jwt');
  const { getDataSourceToken } = await import('@nestjs/typeorm');
  const app = await createHttpApp(StandaloneModule);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const ds = app.get(getDataSourceToken());
  const config = app.get(APP_CONFIG);
  const io = app.get(RealtimeGateway).server;
  if (!io) throw new Error('no socket.io server');
  let fleet: Awaited<ReturnType<typeof launchPhones>> | undefined;

  try {
    // City → town → village → grid (boundaries), a flash-flood zone in the grid, N grid holders, a warden user each.
    const box = (w: number, s: number, e: number, n: number) =>
      `st_multi(st_geomfromtext('POLYGON((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s}))', 4326))`;
    await ds.query(
      `insert into divisions (code, name, level, path, boundary) values ('331082', '临海市', 'city', '331082', ${box(121.0, 28.8, 121.4, 29.0)})`,
    );
    for (const [code, name, level, parent, geom] of [
      ['331082001', '古城街道', 'town', '331082', box(121.0, 28.8, 121.2, 29.0)],
      ['331082001001', '东湖村', 'village', '331082001', box(121.0, 28.8, 121.1, 28.9)],
      ['331082001001G01', '东湖村第一网格', 'grid', '331082001001', box(121.0, 28.8, 121.1, 28.9)],
    ]) {
      await ds.query(
        `insert into divisions (code, name, level, parent_id, path, boundary)
         select $1::varchar, $2, $3::division_level, p.id, p.path || $1::varchar::text, ${geom} from divisions p where p.code = $4`,
        [code, name, level, parent],
      );
    }
    const users: Array<{ id: string; username: string; divisionId: string }> = await ds.query(
      `with d as (select id from divisions where code = '331082001001G01'),
       h as (insert into responsibility_holders (name, role, division_id, mobile)
             select '网格员' || g, 'patroller', d.id, '+86199000' || lpad(g::text, 5, '0') from generate_series(1, $1) g, d
             returning id, mobile),
       u as (insert into users (username, display_name, password_hash, role, division_id, holder_id)
             select 'bench-' || right(h.mobile, 5), 'bench', 'not-a-hash', 'warden', d.id, h.id from h, d
             returning id, username, division_id)
       select id, username, division_id as "divisionId" from u`,
      [CLIENTS],
    );
    await ds.query(
      `insert into risk_objects (code, name, type, division_id, geom)
       select 'FF-BENCH', '山洪危险区', 'flash_flood_zone', id, st_geomfromtext('${GRID}', 4326) from divisions where code = '331082001001G01'`,
    );
    const [commander] = await ds.query(
      `insert into users (username, display_name, password_hash, role, division_id)
       select 'bench-commander', 'bench', 'not-a-hash', 'commander', id from divisions where code = '331082' returning id, division_id as "divisionId"`,
    );
    const jwt = new JwtService({ secret: config.auth.jwtSecret });
    const sign = (id: string, username: string, role: string, divisionId: string, code: string, path: string) =>
      jwt.sign(
        { sub: id, username, role, divisionId, divisionCode: code, divisionPath: path },
        { algorithm: 'HS256', issuer: config.auth.jwtIssuer, expiresIn: 3600 },
      );
    const tokens = users.map((u) =>
      sign(u.id, u.username, 'warden', u.divisionId, '331082001001G01', '331082.331082001.331082001001.331082001001G01'),
    );
    const commanderToken = sign(commander.id, 'bench-commander', 'commander', commander.divisionId, '331082', '331082');
    const rssBefore = process.memoryUsage().rss;

    fleet = await launchPhones(__filename, `http://127.0.0.1:${port}/warden`, tokens, PROCS, [
      { event: 'bench.ping', keyField: 'key' },
      { event: 'wakeup.call', keyField: 'title' },
    ]);
    const rssConnected = process.memoryUsage().rss;
    console.log(
      `  ${fleet.connected} warden sockets in ${PROCS} processes connected in ${(fleet.connectMs / 1000).toFixed(1)} s${fleet.failed ? ` (${fleet.failed} refused)` : ''}`,
    );

    const latencies: Record<'baseline' | 'wakeup', number[]> = { baseline: [], wakeup: [] };
    const starts = new Map<string, number>();
    for (let r = 0; r < ROUNDS; r++) {
      const bkey = `bench.ping:baseline-${r}`;
      starts.set(bkey, now());
      io.of('/warden').emit('bench.ping', { key: `baseline-${r}` });
      await fleet.allGot(bkey);

      const wkey = `wakeup.call:bench round ${r}`;
      starts.set(wkey, now());
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/warnings`, {
        method: 'POST',
        headers: { 'content-type': 'application/cap+xml', authorization: `Bearer ${commanderToken}` },
        body: capXml(r),
      });
      if (res.status >= 300) throw new Error(`warning refused: ${res.status} ${await res.text()}`);
      await fleet.allGot(wkey);
      // Warnings come minutes apart: let this round's 5,000 SMS drain before the next warning.
      while ((await ds.query(`select count(*)::int as n from sms_messages where status in ('queued', 'sending')`))[0].n > 0) {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const rssPeak = process.memoryUsage().rss;
    const times = await fleet.times();
    for (const [key, t0] of starts)
      (key.startsWith('bench.ping') ? latencies.baseline : latencies.wakeup).push(...(times[key] ?? []).map((t) => t - t0));

    const ackStart = now();
    const answered = await fleet.answer({ event: 'wakeup.call', idField: 'callId', ackEvent: 'call.ack' });
    const ackSeconds = (now() - ackStart) / 1000;
    const [{ n: acked }] = await ds.query(`select count(*)::int as n from wakeup_acks where accepted`);

    const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;
    console.log(
      `  api+worker RSS: ${mb(rssBefore)} before the sockets, ${mb(rssConnected)} with ${fleet.connected} connected, ${mb(rssPeak)} after ${ROUNDS} rounds`,
    );
    const line = (name: string, xs: number[]): number[] => {
      xs.sort((a, b) => a - b);
      console.log(
        `  ${name.padEnd(26)} ${String(xs.length).padStart(6)} msgs  p50 ${pct(xs, 50).toFixed(0)} ms  p99 ${pct(xs, 99).toFixed(0)} ms  max ${xs[xs.length - 1].toFixed(0)} ms`,
      );
      return xs;
    };
    const base = line('baseline (bare emit)', latencies.baseline);
    const wake = line('warning → wakeup.call', latencies.wakeup);
    console.log(
      `  ratio wake-up/baseline: p50 ×${(pct(wake, 50) / pct(base, 50)).toFixed(1)}  p99 ×${(pct(wake, 99) / pct(base, 99)).toFixed(1)}  (wakeup.tickMs ${config.wakeup.tickMs} ms)`,
    );
    console.log(
      `  acknowledgements over the socket: ${answered.ok} accepted of ${answered.ok + answered.failed} in ${ackSeconds.toFixed(1)} s = ${(answered.ok / ackSeconds).toFixed(0)} acks/s (ledger: ${acked} accepted)`,
    );
  } finally {
    fleet?.stop();
    await app.close();
    await db.drop();
  }
}

if (process.env.BENCH_PHONE_CHILD) runPhoneChild();
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
