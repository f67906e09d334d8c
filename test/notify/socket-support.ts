import type { INestApplication } from '@nestjs/common';
import { io, Socket } from 'socket.io-client';
import type { DataSource } from 'typeorm';

/**
 * The channel tests' own events, merged into the typed event map (tests only: production code
 * declares its events beside its code, e.g. libs/wakeup/src/wakeup.events.ts).
 */
declare module '@fangxun/notify' {
  interface ServerEvents {
    'test.call': { callId?: string; n: number };
    'test.board': { n: number };
    'test.marker': Record<string, never>;
    'test.refresh': { reason?: string; k?: number };
  }
}

/** Helpers of the socket.io e2e specs: real clients against a listening api. */

export interface Received {
  event: string;
  msg: Record<string, unknown> & { id?: number };
}

export interface TestClient {
  socket: Socket;
  received: Received[];
  /** Messages of this suite's events (`test.*`: nothing else in the app sends those), in arrival order. */
  events(): Received[];
  close(): void;
}

export async function listen(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as { port: number }).port;
}

/** Opens a client and collects everything it receives (it is not connected yet when this returns). */
export function client(port: number, ns: 'command' | 'warden' | string, auth: Record<string, unknown>): TestClient {
  const socket = io(`http://127.0.0.1:${port}/${ns}`, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  });
  const received: Received[] = [];
  socket.onAny((event: string, msg: Received['msg']) => received.push({ event, msg }));
  return {
    socket,
    received,
    events: () => received.filter((r) => r.event.startsWith('test.')),
    close: () => {
      socket.offAny();
      socket.disconnect();
    },
  };
}

/** Resolves with `realtime.ready` (rooms joined, replay done); rejects with the handshake refusal. */
export function ready(c: TestClient): Promise<{ lastEventId: number; replayed: number; rooms: string[] }> {
  type Ready = { lastEventId: number; replayed: number; rooms: string[] };
  // It may have come already (another client was awaited first): onAny recorded it.
  const seen = c.received.find((r) => r.event === 'realtime.ready');
  if (seen) return Promise.resolve(seen.msg as unknown as Ready);
  return new Promise((resolve, reject) => {
    c.socket.once('realtime.ready', resolve);
    c.socket.once('connect_error', reject);
  });
}

/** Resolves with the `connect_error` of a refused handshake (rejects if the socket connects). */
export function refused(c: TestClient): Promise<Error & { data?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    c.socket.once('connect_error', resolve);
    c.socket.once('connect', () => reject(new Error('connected but should have been refused')));
  });
}

/** Waits until `check` holds (polling); fails with `what` after `ms`. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A responsibility holder in the division, linked to the user (a warden is the holder he is). */
export async function linkHolder(ds: DataSource, username: string, divisionCode: string, mobile: string): Promise<string> {
  const [{ id }]: Array<{ id: string }> = await ds.query(
    `insert into responsibility_holders (name, role, division_id, mobile)
     select $1, 'patroller', id, $2 from divisions where code = $3 returning id`,
    [`holder of ${username}`, mobile, divisionCode],
  );
  await ds.query('update users set holder_id = $1 where username = $2', [id, username]);
  return id;
}

export async function userId(ds: DataSource, username: string): Promise<string> {
  const [{ id }]: Array<{ id: string }> = await ds.query('select id from users where username = $1', [username]);
  return id;
}
