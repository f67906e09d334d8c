import { io, Socket } from 'socket.io-client';
import { AppConfig, loadConfig } from '@fangxun/config';
import { WakeupJobs, WakeupJobsModule } from '@fangxun/wakeup';
import { ApiModule } from '../../apps/api/src/api.module';
import { bootCustom, CustomApp } from '../support/app';
import { FakeClock } from '../support/fake-clock';

export interface WakeupApp extends CustomApp {
  jobs: WakeupJobs;
  config: AppConfig;
}

/**
 * The API plus the worker's wake-up loop (ticked by the test, never by itself: no timer, no LISTEN) on this jest
 * worker's database, listening on a free port for socket.io clients, with the test's clock.
 * The SMS sender is not booted: messages stay queued, where the test counts them.
 */
export async function bootWakeup(clock: FakeClock, tune: (c: AppConfig) => AppConfig = (c) => c): Promise<WakeupApp> {
  const base = loadConfig();
  const config = tune({ ...base, wakeup: { ...base.wakeup, tickMs: 3_600_000, wakeOnOutbox: false, boardPushMs: 200 } });
  const t = await bootCustom({ imports: [ApiModule, WakeupJobsModule], config, clock, listen: true });
  return { ...t, jobs: t.app.get(WakeupJobs), config };
}

export interface Client {
  socket: Socket;
  events: Array<{ event: string; data: Record<string, unknown> }>;
}

function client(url: string, token: string, lastEventId: number): Client {
  const events: Client['events'] = [];
  const socket = io(url, { auth: { token, lastEventId }, transports: ['websocket'], reconnection: false, forceNew: true });
  socket.onAny((event: string, data: Record<string, unknown>) => events.push({ event, data }));
  return { socket, events };
}

/** A warden's phone: a real socket.io client on /warden that keeps every event it gets. */
export const wardenClient = (url: string, token: string, lastEventId = 0): Client => client(`${url}/warden`, token, lastEventId);

/** A command-room screen on /command. */
export const commandClient = (url: string, token: string, lastEventId = 0): Client => client(`${url}/command`, token, lastEventId);

export async function connected(s: Socket): Promise<void> {
  if (s.connected) return;
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });
}

/** Polls until `check` passes (socket events arrive asynchronously); fails after `ms`. */
export async function eventually(check: () => void | Promise<void>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Ticks the wake-up loop until `check` passes. An outbox event behind a hole in the ids (a writer
 * still committing) is handed out only once the hole is filled or known final, over a few claims
 * (libs/database outbox.service.ts), so the first tick after a write may legitimately find nothing yet.
 */
export async function tickUntil(t: WakeupApp, check: () => void | Promise<void>, ms = 10_000): Promise<void> {
  await eventually(async () => {
    await t.jobs.tick();
    await check();
  }, ms);
}
