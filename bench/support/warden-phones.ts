/**
 * Warden phones for benchmarks: N real socket.io clients on /warden, spread over a few child
 * processes (one Node process would measure its own event loop, not the server). Each child
 * connects its share, waits for `realtime.ready`, then for every message of the events it was
 * told to watch records the receive time (performance.timeOrigin + now(): one machine, one
 * clock) under the message's `keyField` value; when all its phones got a key it says so.
 *
 * The parent side (`launchPhones`) starts the children with `fork(childModule)`; the child side
 * (`runPhoneChild`) is called by the bench file itself when `BENCH_PHONE_CHILD` is set.
 */
import { fork, ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export const now = (): number => performance.timeOrigin + performance.now();

export interface Watch {
  event: string;
  keyField: string;
}

/** Each phone answers the last message of `event` by emitting `ackEvent {[idField]: …}` and waiting for the server's ack. */
export interface Answer {
  event: string;
  idField: string;
  ackEvent: string;
}

type ToChild =
  | { type: 'start'; url: string; tokens: string[]; watch: Watch[] }
  | { type: 'answer'; answer: Answer }
  | { type: 'report' }
  | { type: 'stop' };
type FromChild =
  | { type: 'ready'; connected: number; failed: number }
  | { type: 'done'; key: string }
  | { type: 'answered'; ok: number; failed: number }
  | { type: 'times'; byKey: Record<string, number[]> };

export function runPhoneChild(): void {
  void (async () => {
    const { io } = await import('socket.io-client');
    const sockets: Array<ReturnType<typeof io>> = [];
    const byKey: Record<string, number[]> = {};
    const last = new Map<ReturnType<typeof io>, Record<string, Record<string, unknown>>>();
    const send = (m: FromChild): void => void process.send?.(m);
    process.on('message', async (m: ToChild) => {
      if (m.type === 'start') {
        let failed = 0;
        const on = (key: string): void => {
          const xs = (byKey[key] ??= []);
          xs.push(now());
          if (xs.length === sockets.length) send({ type: 'done', key });
        };
        for (let i = 0; i < m.tokens.length; i += 100) {
          await Promise.all(
            m.tokens.slice(i, i + 100).map(
              (token) =>
                new Promise<void>((resolve) => {
                  const s = io(m.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
                  for (const w of m.watch)
                    s.on(w.event, (data: Record<string, unknown>) => {
                      last.set(s, { ...last.get(s), [w.event]: data });
                      on(`${w.event}:${String(data[w.keyField])}`);
                    });
                  s.once('realtime.ready', () => {
                    sockets.push(s);
                    resolve();
                  });
                  s.once('connect_error', () => {
                    failed++;
                    resolve();
                  });
                }),
            ),
          );
        }
        send({ type: 'ready', connected: sockets.length, failed });
      } else if (m.type === 'answer') {
        const { event, idField, ackEvent } = m.answer;
        const results = await Promise.all(
          sockets.map(async (s) => {
            const data = last.get(s)?.[event];
            if (!data) return false;
            const r = (await s.timeout(60_000).emitWithAck(ackEvent, { [idField]: data[idField] })) as { ok?: boolean };
            return r.ok === true;
          }),
        );
        const ok = results.filter(Boolean).length;
        send({ type: 'answered', ok, failed: results.length - ok });
      } else if (m.type === 'report') {
        send({ type: 'times', byKey });
      } else {
        for (const s of sockets) s.disconnect();
        process.exit(0);
      }
    });
  })();
}

export interface PhoneFleet {
  connected: number;
  failed: number;
  connectMs: number;
  /** Resolves when every phone got a message with this key (`<event>:<keyField value>`). */
  allGot(key: string): Promise<void>;
  /** Receive times (ms since epoch) of every phone, per key. */
  times(): Promise<Record<string, number[]>>;
  /** Every phone answers at once; resolves with how many answers the server accepted. */
  answer(a: Answer): Promise<{ ok: number; failed: number }>;
  stop(): void;
}

export async function launchPhones(childModule: string, url: string, tokens: string[], procs: number, watch: Watch[]): Promise<PhoneFleet> {
  const children: ChildProcess[] = [];
  const waiting = new Map<string, { left: number; resolve: () => void; promise: Promise<void> }>();
  const slot = (key: string) => {
    let s = waiting.get(key);
    if (!s) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      s = { left: procs, resolve, promise };
      waiting.set(key, s);
    }
    return s;
  };
  const reports: Array<Record<string, number[]>> = [];
  let onReport: (() => void) | undefined;
  const answers: Array<{ ok: number; failed: number }> = [];
  let onAnswers: (() => void) | undefined;
  let ready = 0;
  let connected = 0;
  let failed = 0;
  let allReady!: () => void;
  const readyP = new Promise<void>((r) => (allReady = r));
  const started = performance.now();
  for (let p = 0; p < procs; p++) {
    const c = fork(childModule, [], {
      env: { ...process.env, BENCH_PHONE_CHILD: '1' },
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    });
    children.push(c);
    c.on('message', (m: FromChild) => {
      if (m.type === 'ready') {
        connected += m.connected;
        failed += m.failed;
        if (++ready === procs) allReady();
      } else if (m.type === 'done') {
        const s = slot(m.key);
        if (--s.left === 0) s.resolve();
      } else if (m.type === 'answered') {
        answers.push({ ok: m.ok, failed: m.failed });
        if (answers.length === procs) onAnswers?.();
      } else {
        reports.push(m.byKey);
        if (reports.length === procs) onReport?.();
      }
    });
    c.send({ type: 'start', url, tokens: tokens.filter((_, i) => i % procs === p), watch } satisfies ToChild);
  }
  await readyP;
  return {
    connected,
    failed,
    connectMs: performance.now() - started,
    allGot: (key) => slot(key).promise,
    times: async () => {
      reports.length = 0;
      const done = new Promise<void>((r) => (onReport = r));
      for (const c of children) c.send({ type: 'report' } satisfies ToChild);
      await done;
      const out: Record<string, number[]> = {};
      for (const r of reports) for (const [k, v] of Object.entries(r)) (out[k] ??= []).push(...v);
      return out;
    },
    answer: async (a) => {
      answers.length = 0;
      const done = new Promise<void>((r) => (onAnswers = r));
      for (const c of children) c.send({ type: 'answer', answer: a } satisfies ToChild);
      await done;
      return answers.reduce((x, y) => ({ ok: x.ok + y.ok, failed: x.failed + y.failed }), { ok: 0, failed: 0 });
    },
    stop: () => {
      for (const c of children) if (c.connected) c.send({ type: 'stop' } satisfies ToChild);
    },
  };
}

/** p-th percentile of sorted values (nearest rank). */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
