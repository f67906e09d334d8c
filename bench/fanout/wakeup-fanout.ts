/**
 * Bench: a red rainstorm warning over 5,000 wardens (BENCH_CLIENTS), each a real socket.io
 * client on /warden in one of BENCH_PROCS child processes. Per round:
 *  - baseline: a bare `io.of('/warden').emit` to every socket (no database);
 *  - wake-up: POST the CAP XML warning to /api/v1/warnings, and time until each phone has its
 *    `wakeup.call` — through the whole path: warning stored + outbox, the worker's wake-up loop
 *    (production tick, `wakeup.tickMs`), "who must answer", the campaign transaction (5,000 calls,
 *    15,000 timers, 5,000 push events, 5,000 SMS queued), NOTIFY, dispatch, room emits.
 * Each of BENCH_ROUNDS (5) rounds sends two warnings, the next one when the SMS of the previous
 * one have drained:
 *  - silent: nobody answers during the fan-out; then every phone answers at once (burst acks/s);
 *  - answering: every phone answers its call 0–2 s after it arrives (as wardens do), so the
 *    fan-out runs while answers pour in (flowing acks/s, ack round trip).
 * Resident memory is printed after each round (flat from one storm to the next is the goal).
 * Last, the reconnect storm: 30 % of the phones (BENCH_STORM_SHARE) drop, a warning goes out,
 * and they come back together with their last event id: time to `realtime.ready`, which follows
 * the replayed call. Prints figures and the ratios; it is not a test.
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

/** Another name (BENCH_DB) lets two checkouts run this bench on one server without dropping each other's database. */
const DB = process.env.BENCH_DB ?? 'fangxun_bench_fanout';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);
const PROCS = Number(process.env.BENCH_PROCS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Share of the phones that drop and come back together in the reconnect storm. */
const STORM_SHARE = Number(process.env.BENCH_STORM_SHARE ?? 0.3);

type Mode = 'silent' | 'answering';
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;

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
    const phones = fleet;
    const rssConnected = process.memoryUsage().rss;
    console.log(
      `  ${phones.connected} warden sockets in ${PROCS} processes connected in ${(phones.connectMs / 1000).toFixed(1)} s${phones.failed ? ` (${phones.failed} refused)` : ''}`,
    );
    console.log(`  api+worker RSS: ${mb(rssBefore)} before the sockets, ${mb(rssConnected)} with ${phones.connected} connected`);

    const latencies: Record<Mode | 'baseline', number[]> = { baseline: [], silent: [], answering: [] };
    const starts = new Map<string, { mode: Mode | 'baseline'; t0: number }>();
    const burst: number[] = [];
    const flowing: Array<{ ok: number; failed: number; perSecond: number; rtt: number[] }> = [];
    let campaign = 0;
    let acceptedSoFar = 0;

    const sendWarning = async (mode: Mode): Promise<string> => {
      const n = campaign++;
      const wkey = `wakeup.call:bench round ${n}`;
      starts.set(wkey, { mode, t0: now() });
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/warnings`, {
        method: 'POST',
        headers: { 'content-type': 'application/cap+xml', authorization: `Bearer ${commanderToken}` },
        body: capXml(n),
      });
      if (res.status >= 300) throw new Error(`warning refused: ${res.status} ${await res.text()}`);
      return wkey;
    };
    // Warnings come minutes apart: let a round's 5,000 SMS drain before the next warning.
    const smsDrained = async (): Promise<void> => {
      while ((await ds.query(`select count(*)::int as n from sms_messages where status in ('queued', 'sending')`))[0].n > 0) {
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const ledger = async (): Promise<number> =>
      (await ds.query(`select count(*)::int as n from wakeup_acks where accepted and stage = 'received'`))[0].n as number;

    for (let r = 0; r < ROUNDS; r++) {
      const bkey = `bench.ping:baseline-${r}`;
      starts.set(bkey, { mode: 'baseline', t0: now() });
      io.of('/warden').emit('bench.ping', { key: `baseline-${r}` });
      await phones.allGot(bkey);

      // Silent: nobody answers while the calls go out; then everyone answers at once.
      await phones.allGot(await sendWarning('silent'));
      await smsDrained();
      const t0 = now();
      const answered = await phones.answer({ event: 'wakeup.call', idField: 'callId', ackEvent: 'call.ack' });
      burst.push(answered.ok / ((now() - t0) / 1000));
      acceptedSoFar += answered.ok;

      // Answering: every phone answers its call 0–2 s after it arrives, while the others still arrive.
      phones.autoAnswer({ event: 'wakeup.call', idField: 'callId', ackEvent: 'call.ack', maxDelayMs: 2000 });
      await phones.allGot(await sendWarning('answering'));
      const deadline = now() + 180_000;
      while ((await ledger()) < acceptedSoFar + phones.connected && now() < deadline) await new Promise((res) => setTimeout(res, 200));
      const stats = await phones.stopAnswering();
      acceptedSoFar = await ledger();
      flowing.push({
        ok: stats.ok,
        failed: stats.failed,
        perSecond: stats.ok / Math.max(0.001, (stats.lastOkAt - stats.firstSentAt) / 1000),
        rtt: stats.roundTripsMs.sort((a, b) => a - b),
      });
      await smsDrained();
      const rss = process.memoryUsage().rss;
      const f = flowing[flowing.length - 1];
      console.log(
        `  round ${r + 1}: RSS ${mb(rss)}; burst ${burst[r].toFixed(0)} acks/s; answering ${f.ok} ok ${f.failed} refused, ${f.perSecond.toFixed(0)} acks/s, ack round trip p50 ${pct(f.rtt, 50).toFixed(0)} ms p99 ${pct(f.rtt, 99).toFixed(0)} ms`,
      );
    }
    const times = await phones.times();
    for (const [key, { mode, t0 }] of starts) latencies[mode].push(...(times[key] ?? []).map((t) => t - t0));

    const line = (name: string, xs: number[]): number[] => {
      xs.sort((a, b) => a - b);
      console.log(
        `  ${name.padEnd(30)} ${String(xs.length).padStart(6)} msgs  p50 ${pct(xs, 50).toFixed(0)} ms  p99 ${pct(xs, 99).toFixed(0)} ms  max ${xs[xs.length - 1].toFixed(0)} ms`,
      );
      return xs;
    };
    const base = line('baseline (bare emit)', latencies.baseline);
    for (const mode of ['silent', 'answering'] as const) {
      const xs = line(`warning → wakeup.call, ${mode}`, latencies[mode]);
      console.log(
        `    ratio to baseline: p50 ×${(pct(xs, 50) / pct(base, 50)).toFixed(1)}  p99 ×${(pct(xs, 99) / pct(base, 99)).toFixed(1)}`,
      );
    }
    console.log(`  (wakeup.tickMs ${config.wakeup.tickMs} ms: the worker's outbox tick is inside the wake-up figures)`);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `  acks/s: everyone at once ${mean(burst).toFixed(0)} (min ${Math.min(...burst).toFixed(0)}); answering 0–2 s after the call ${mean(flowing.map((f) => f.perSecond)).toFixed(0)}; ledger ${await ledger()} accepted`,
    );

    // Reconnect storm: STORM_SHARE of the phones drop, a warning goes out, they come back together.
    const gone = await phones.drop(STORM_SHARE);
    await phones.allGot(await sendWarning('silent'));
    const back = await phones.rejoin();
    const ready = back.readyMs.sort((a, b) => a - b);
    console.log(
      `  reconnect storm: ${gone} phones back at once with their lastEventId → realtime.ready (replayed call first) p50 ${pct(ready, 50).toFixed(0)} ms  p99 ${pct(ready, 99).toFixed(0)} ms  max ${ready[ready.length - 1].toFixed(0)} ms${back.failed ? `  (${back.failed} refused)` : ''}`,
    );
    await smsDrained();
    console.log(`  api+worker RSS at the end: ${mb(process.memoryUsage().rss)}`);
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
