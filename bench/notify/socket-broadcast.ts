/**
 * Bench: a wake-up to N phones over the live channel. N warden sockets (default 5,000,
 * BENCH_CLIENTS) connect to one api through socket.io-client in a few child processes
 * (BENCH_PROCS, default 4); then, for BENCH_ROUNDS rounds, the api
 *  - durable: publishes N events (one per person room) in one transaction through
 *    RealtimeService.publish → realtime_events + NOTIFY → the dispatcher → each phone's room;
 *  - baseline: a bare `io.of('/warden').emit` of one message to every socket, no database;
 * and every phone reports publish→receive latency (clocks of one machine: performance.timeOrigin
 * + now()). Prints p50/p99/max per kind, the ratio durable/baseline, and the api's RSS before and
 * after the sockets connect and at the end. Prints figures; it is not a test.
 *
 *   npm run bench -- bench/notify/socket-broadcast.ts
 *
 * Database: `fangxun_bench_socket` on the server of DATABASE_URL / .data/db.env, created afresh,
 * migrated at boot, dropped at the end (KEEP_BENCH_DB=1 keeps it). The api runs in this process
 * (no Redis: one replica); the phones run in child processes of this same file (bench/support/warden-phones).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { useFreshBenchDatabase } from '../support/bench-db';
import { launchPhones, now, pct, PhoneFleet, runPhoneChild } from '../support/warden-phones';

/** The bench's own event, merged into the channel's typed event map. */
declare module '@fangxun/notify' {
  interface ServerEvents {
    'bench.ping': { key: string };
  }
}

const DB = 'fangxun_bench_socket';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);
const PROCS = Number(process.env.BENCH_PROCS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function main(): Promise<void> {
  const db = await useFreshBenchDatabase(DB);
  delete process.env.REDIS_URL;

  const { createHttpApp } = await import('@fangxun/platform');
  const { ApiModule } = await import('../../apps/api/src/api.module');
  const { RealtimeGateway, RealtimeService, Rooms } = await import('@fangxun/notify');
  const { APP_CONFIG } = await import('@fangxun/config');
  const { JwtService } = await import('@nestjs/jwt');
  const { getDataSourceToken } = await import('@nestjs/typeorm');
  const app = await createHttpApp(ApiModule);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const ds = app.get(getDataSourceToken());
  const config = app.get(APP_CONFIG);
  const rt = app.get(RealtimeService);
  const io = app.get(RealtimeGateway).server;
  if (!io) throw new Error('no socket.io server');
  let fleet: PhoneFleet | undefined;

  try {
    // One town, N holders, a warden user per holder (no password: tokens are signed here).
    await ds.query(`insert into divisions (code, name, level, path) values ('331082', '临海市', 'city', '331082')`);
    await ds.query(`insert into divisions (code, name, level, parent_id, path)
                    select '331082001', '古城街道', 'town', id, '331082.331082001' from divisions where code = '331082'`);
    const users: Array<{ id: string; username: string; holderId: string; divisionId: string }> = await ds.query(
      `with d as (select id from divisions where code = '331082001'),
       h as (insert into responsibility_holders (name, role, division_id, mobile)
             select 'bench ' || g, 'patroller', d.id, '+86199' || lpad(g::text, 8, '0') from generate_series(1, $1) g, d
             returning id, mobile),
       u as (insert into users (username, display_name, password_hash, role, division_id, holder_id)
             select 'bench-' || right(h.mobile, 8), 'bench', 'not-a-hash', 'warden', d.id, h.id from h, d
             returning id, username, holder_id, division_id)
       select id, username, holder_id as "holderId", division_id as "divisionId" from u`,
      [CLIENTS],
    );
    const jwt = new JwtService({ secret: config.auth.jwtSecret });
    const tokens = users.map((u) =>
      jwt.sign(
        {
          sub: u.id,
          username: u.username,
          role: 'warden',
          divisionId: u.divisionId,
          divisionCode: '331082001',
          divisionPath: '331082.331082001',
        },
        { algorithm: 'HS256', issuer: config.auth.jwtIssuer, expiresIn: 3600 },
      ),
    );
    const rssBefore = process.memoryUsage().rss;

    // Phones.
    fleet = await launchPhones(__filename, `http://127.0.0.1:${port}/warden`, tokens, PROCS, [{ event: 'bench.ping', keyField: 'key' }]);
    const connectMs = fleet.connectMs;
    const connected = fleet.connected;
    const rssConnected = process.memoryUsage().rss;
    if (fleet.failed) console.log(`  ${fleet.failed} sockets refused`);
    let rssPeak = rssConnected;

    const starts = new Map<string, { kind: string; t: number }>();
    const round = async (kind: string, r: number, fire: (key: string) => Promise<void>): Promise<void> => {
      const key = `${kind}-${r}`;
      starts.set(`bench.ping:${key}`, { kind, t: now() });
      await fire(key);
      await fleet!.allGot(`bench.ping:${key}`);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    };
    for (let r = 0; r < ROUNDS; r++) {
      await round('baseline', r, async (key) => {
        io.of('/warden').emit('bench.ping', { key });
      });
      await round('durable', r, async (key) => {
        const events = users.map((u) => ({ room: Rooms.person(u.holderId), event: 'bench.ping' as const, payload: { key } }));
        await ds.transaction((m: Parameters<typeof rt.publish>[0]) => rt.publish(m, events));
      });
    }
    const latencies: Record<string, number[]> = {};
    for (const [key, ts] of Object.entries(await fleet.times())) {
      const start = starts.get(key);
      if (start) (latencies[start.kind] ??= []).push(...ts.map((t) => t - start.t));
    }

    const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;
    const heap = process.memoryUsage().heapUsed;
    console.log(
      `  ${connected} warden sockets in ${PROCS} processes, connected (JWT + user check + rooms) in ${(connectMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `  api RSS: ${mb(rssBefore)} before the sockets, ${mb(rssConnected)} connected, ${mb(rssPeak)} peak during ${ROUNDS} rounds (heap used now ${mb(heap)})`,
    );
    const line = (kind: string): number[] => {
      const xs = (latencies[kind] ?? []).sort((a, b) => a - b);
      console.log(
        `  ${kind.padEnd(8)} ${String(xs.length).padStart(7)} msgs  p50 ${pct(xs, 50).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms  max ${xs[xs.length - 1].toFixed(1)} ms`,
      );
      return xs;
    };
    const base = line('baseline');
    const dur = line('durable');
    console.log(
      `  ratio durable/baseline: p50 ×${(pct(dur, 50) / pct(base, 50)).toFixed(1)}  p99 ×${(pct(dur, 99) / pct(base, 99)).toFixed(1)}  (durable = ${CLIENTS} rows in one transaction, NOTIFY, dispatch, ${CLIENTS} room emits)`,
    );
  } finally {
    fleet?.stop();
    await app.close();
    await db.drop();
  }
}

if (process.env.BENCH_PHONE_CHILD) {
  runPhoneChild();
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
