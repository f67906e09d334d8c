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
import { ChildProcess, fork } from 'node:child_process';
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

/** Answer every new message of `event` after a random 0..maxDelayMs wait, as wardens do. */
export interface AutoAnswer extends Answer {
  maxDelayMs: number;
}

/** What auto-answering phones saw: answers accepted/refused and each answer's round trip (ms). */
export interface AnswerStats {
  ok: number;
  failed: number;
  roundTripsMs: number[];
  firstSentAt: number;
  lastOkAt: number;
}

type ToChild =
  | { type: 'start'; url: string; tokens: string[]; watch: Watch[] }
  | { type: 'answer'; answer: Answer }
  | { type: 'auto'; answer: AutoAnswer | null }
  | { type: 'drop'; share: number }
  | { type: 'rejoin' }
  | { type: 'report' }
  | { type: 'stop' };
type FromChild =
  | { type: 'ready'; connected: number; failed: number }
  | { type: 'done'; key: string }
  | { type: 'answered'; ok: number; failed: number }
  | { type: 'autoStats'; stats: AnswerStats }
  | { type: 'dropped'; count: number }
  | { type: 'rejoined'; readyMs: number[]; failed: number }
  | { type: 'times'; byKey: Record<string, number[]> };

export function runPhoneChild(): void {
  void (async () => {
    const { io } = await import('socket.io-client');
    type Phone = ReturnType<typeof io>;
    const sockets: Phone[] = [];
    const tokenOf = new Map<Phone, string>();
    /** The largest durable event id each phone handled: its replay cursor after a reconnect. */
    const cursor = new Map<string, number>();
    const byKey: Record<string, number[]> = {};
    const last = new Map<string, Record<string, Record<string, unknown>>>();
    let url = '';
    let watch: Watch[] = [];
    let auto: AutoAnswer | null = null;
    let stats: AnswerStats = { ok: 0, failed: 0, roundTripsMs: [], firstSentAt: 0, lastOkAt: 0 };
    let dropped: string[] = [];
    const send = (m: FromChild): void => void process.send?.(m);
    const on = (key: string): void => {
      const xs = (byKey[key] ??= []);
      xs.push(now());
      if (xs.length === tokenOf.size) send({ type: 'done', key });
    };
    const answerOne = (s: Phone, a: Answer, data: Record<string, unknown>): Promise<boolean> => {
      const sent = now();
      if (!stats.firstSentAt) stats.firstSentAt = sent;
      return (s.timeout(60_000).emitWithAck(a.ackEvent, { [a.idField]: data[a.idField] }) as Promise<{ ok?: boolean }>).then(
        (r) => {
          const ok = r.ok === true;
          if (ok) {
            stats.ok++;
            stats.lastOkAt = now();
            stats.roundTripsMs.push(stats.lastOkAt - sent);
          } else stats.failed++;
          return ok;
        },
        () => {
          stats.failed++;
          return false;
        },
      );
    };
    /** Connects one phone; resolves with the time to `realtime.ready` (ms), or null when refused. */
    const connect = (token: string, lastEventId?: number): Promise<number | null> =>
      new Promise((resolve) => {
        const t0 = now();
        const s = io(url, {
          auth: lastEventId === undefined ? { token } : { token, lastEventId },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          timeout: 60_000,
        });
        for (const w of watch)
          s.on(w.event, (data: Record<string, unknown>) => {
            if (typeof data.id === 'number') cursor.set(token, Math.max(cursor.get(token) ?? 0, data.id));
            last.set(token, { ...last.get(token), [w.event]: data });
            on(`${w.event}:${String(data[w.keyField])}`);
            const a = auto;
            if (a && w.event === a.event) setTimeout(() => void answerOne(s, a, data), Math.random() * a.maxDelayMs);
          });
        s.once('realtime.ready', (r: { lastEventId: number }) => {
          if (lastEventId === undefined) cursor.set(token, Math.max(cursor.get(token) ?? 0, r.lastEventId));
          sockets.push(s);
          tokenOf.set(s, token);
          resolve(now() - t0);
        });
        s.once('connect_error', () => resolve(null));
      });
    process.on('message', async (m: ToChild) => {
      if (m.type === 'start') {
        url = m.url;
        watch = m.watch;
        let failed = 0;
        for (let i = 0; i < m.tokens.length; i += 100) {
          const got = await Promise.all(m.tokens.slice(i, i + 100).map((t) => connect(t)));
          failed += got.filter((x) => x === null).length;
        }
        send({ type: 'ready', connected: sockets.length, failed });
      } else if (m.type === 'answer') {
        stats = { ok: 0, failed: 0, roundTripsMs: [], firstSentAt: 0, lastOkAt: 0 };
        const a = m.answer;
        const results = await Promise.all(
          sockets.map((s) => {
            const data = last.get(tokenOf.get(s)!)?.[a.event];
            return data ? answerOne(s, a, data) : Promise.resolve(false);
          }),
        );
        const ok = results.filter(Boolean).length;
        send({ type: 'answered', ok, failed: results.length - ok });
      } else if (m.type === 'auto') {
        if (m.answer) {
          auto = m.answer;
          stats = { ok: 0, failed: 0, roundTripsMs: [], firstSentAt: 0, lastOkAt: 0 };
        } else {
          auto = null;
          send({ type: 'autoStats', stats });
        }
      } else if (m.type === 'drop') {
        const n = Math.round(sockets.length * m.share);
        const gone = sockets.splice(0, n);
        dropped = gone.map((s) => tokenOf.get(s)!);
        for (const s of gone) {
          tokenOf.delete(s);
          s.disconnect();
        }
        send({ type: 'dropped', count: gone.length });
      } else if (m.type === 'rejoin') {
        // All at once, each with its own cursor: the reconnect storm after a cell tower comes back.
        const got = await Promise.all(dropped.map((t) => connect(t, cursor.get(t) ?? 0)));
        dropped = [];
        send({ type: 'rejoined', readyMs: got.filter((x): x is number => x !== null), failed: got.filter((x) => x === null).length });
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
  /** From now on every phone answers each new `event` after 0..maxDelayMs. */
  autoAnswer(a: AutoAnswer): void;
  /** Stops answering; resolves with what the phones saw since autoAnswer. */
  stopAnswering(): Promise<AnswerStats>;
  /** Disconnects this share of each process's phones; resolves with how many went. */
  drop(share: number): Promise<number>;
  /** The dropped phones reconnect together with their last event id; times to `realtime.ready`. */
  rejoin(): Promise<{ readyMs: number[]; failed: number }>;
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
  /** Replies of one kind from every child, for the request in flight. */
  const gathered = new Map<string, { got: FromChild[]; done: () => void }>();
  const gather = <T extends FromChild>(type: T['type'], request: ToChild): Promise<T[]> =>
    new Promise((resolve) => {
      const entry = { got: [] as FromChild[], done: () => resolve(entry.got as T[]) };
      gathered.set(type, entry);
      for (const c of children) c.send(request);
    });
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
      } else if (m.type === 'autoStats' || m.type === 'dropped' || m.type === 'rejoined') {
        const g = gathered.get(m.type);
        if (g) {
          g.got.push(m);
          if (g.got.length === procs) {
            gathered.delete(m.type);
            g.done();
          }
        }
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
    autoAnswer: (a) => {
      for (const c of children) c.send({ type: 'auto', answer: a } satisfies ToChild);
    },
    stopAnswering: async () => {
      const got = await gather<Extract<FromChild, { type: 'autoStats' }>>('autoStats', { type: 'auto', answer: null });
      const all = got.map((g) => g.stats);
      return {
        ok: all.reduce((n, x) => n + x.ok, 0),
        failed: all.reduce((n, x) => n + x.failed, 0),
        roundTripsMs: all.flatMap((x) => x.roundTripsMs),
        firstSentAt: Math.min(...all.map((x) => x.firstSentAt || Infinity)),
        lastOkAt: Math.max(...all.map((x) => x.lastOkAt)),
      };
    },
    drop: async (share) => {
      const got = await gather<Extract<FromChild, { type: 'dropped' }>>('dropped', { type: 'drop', share });
      return got.reduce((n, g) => n + g.count, 0);
    },
    rejoin: async () => {
      const got = await gather<Extract<FromChild, { type: 'rejoined' }>>('rejoined', { type: 'rejoin' });
      return { readyMs: got.flatMap((g) => g.readyMs), failed: got.reduce((n, g) => n + g.failed, 0) };
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
