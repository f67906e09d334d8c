import fc from 'fast-check';
import { hostileParam, hostileValue, Operation, SchemaArbitraries } from './openapi-arbitraries';

/** One generated request. */
export interface FuzzRequest {
  op: Operation;
  as: string;
  url: string;
  contentType?: string;
  body?: string;
}

export interface FuzzFinding {
  op: string;
  as: string;
  status: number;
  problem: string;
  request: string;
  response: string;
}

const BODY_LESS = new Set(['get', 'delete']);

/** XML bodies for the CAP route (the only XML route): empty, hostile DTDs, garbage. */
const XML_BODIES = [
  '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>',
  '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><alert>&x;</alert>',
  '<alert>' + '<info>'.repeat(200) + '</alert>',
  'not xml at all',
  '\u0000',
];

function encodeValue(v: unknown): string {
  const s = Array.isArray(v) ? v.map(String).join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80'; // a lone surrogate cannot be percent-encoded as UTF-8: send the raw bytes it would be
  }
}

/** The arbitrary of requests for one operation and caller: schema-driven values, mutated towards hostile ones. */
export function requestArbitrary(op: Operation, as: string, gen: SchemaArbitraries, base: string): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathArb = fc.tuple(
    ...pathParams.map((p) =>
      fc.oneof({ arbitrary: gen.valid(p.schema, p.name).map(encodeValue), weight: 4 }, { arbitrary: hostileParam, weight: 1 }),
    ),
  );
  const queryArb = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(fc.oneof({ arbitrary: gen.valid(p.schema, p.name).map(encodeValue), weight: 3 }, { arbitrary: hostileParam, weight: 1 }), {
        freq: p.required ? 20 : 2,
      }),
    ),
  );
  let bodyArb: fc.Arbitrary<{ type?: string; body?: string }> = fc.constant({});
  if (op.body) {
    bodyArb = fc.oneof(
      { arbitrary: gen.mutated(op.body).map((b) => ({ type: 'application/json', body: JSON.stringify(b) })), weight: 6 },
      { arbitrary: hostileValue.map((b) => ({ type: 'application/json', body: JSON.stringify(b) })), weight: 1 },
      { arbitrary: fc.constant({ type: 'application/json', body: '{"a":' }), weight: 1 },
    );
  } else if (op.bodyTypes.some((t) => /xml/.test(t))) {
    bodyArb = fc.constantFrom(...XML_BODIES.map((b) => ({ type: 'application/cap+xml', body: b })));
  } else if (!BODY_LESS.has(op.method)) {
    bodyArb = fc.constantFrom(
      {},
      { type: 'application/json', body: '{}' },
      { type: 'text/plain', body: 'x' },
      { type: 'application/json', body: '[]' },
    );
  }
  return fc.tuple(pathArb, queryArb, bodyArb).map(([pathValues, queryValues, b]) => {
    let path = op.path;
    pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, pathValues[i])));
    const query = queryParams.flatMap((p, i) => (queryValues[i] === null ? [] : [`${encodeURIComponent(p.name)}=${queryValues[i]}`]));
    return { op, as, url: `${base}${path}${query.length ? `?${query.join('&')}` : ''}`, contentType: b.type, body: b.body };
  });
}

const ERROR_KEYS = ['code', 'correlationId', 'details', 'message', 'statusCode'];
/** Text that must never reach a client: stack frames, source paths, SQL and driver messages. */
const LEAKS =
  /\n\s+at \S|node_modules|QueryFailedError|\.ts:\d+:\d+|\binsert into\b|\bselect\b[^"]{0,200}\bfrom\b|syntax error at|violates (not-null|check|foreign key|unique) constraint|invalid input syntax for|invalid byte sequence/i;

/** Tells whether a property of an answer is data the caller must not see (e.g. a divisionCode of another town). */
export type OutOfArea = (key: string, value: unknown) => boolean;

/** The first property of a JSON value that `outOfArea` flags, as `key=value`. */
function findOutOfArea(v: unknown, outOfArea: OutOfArea): string | undefined {
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) stack.push(...x);
    else if (x && typeof x === 'object') {
      for (const [k, val] of Object.entries(x)) {
        if (outOfArea(k, val)) return `${k}=${JSON.stringify(val)}`;
        if (val && typeof val === 'object') stack.push(val);
      }
    }
  }
  return undefined;
}

/** What is wrong with one answer (undefined: nothing). */
export function judge(req: FuzzRequest, status: number, contentType: string, text: string, outOfArea?: OutOfArea): string | undefined {
  if (status >= 500) return `answered ${status}`;
  if (LEAKS.test(text)) return `body leaks internals: ${LEAKS.exec(text)?.[0]}`;
  if (status >= 400) {
    if (!contentType.startsWith('application/json')) return `error answered as ${contentType || '(no content type)'}`;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return 'error body is not JSON';
    }
    if (Object.keys(body).sort().join() !== ERROR_KEYS.join()) return `error body keys ${Object.keys(body).sort().join()}`;
    if (body.statusCode !== status || typeof body.code !== 'string' || typeof body.message !== 'string') return 'error body fields';
    const details = body.details as Array<Record<string, unknown>>;
    if (!Array.isArray(details) || details.some((d) => typeof d?.field !== 'string' || typeof d?.problem !== 'string')) {
      return 'error details are not [{field, problem}]';
    }
    if (details.length > 50) return `${details.length} details (more than 50)`;
    return undefined;
  }
  if (status < 300 && outOfArea && /json/.test(contentType)) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return 'a JSON answer that does not parse';
    }
    const leak = findOutOfArea(body, outOfArea);
    if (leak) return `out-of-area data (${leak}) returned to ${req.as}`;
  }
  return undefined;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Watches `/health` every `everyMs` while the fuzz runs. For each probe it keeps the wait and
 * how much CPU this process (the API and the fuzz client) burnt meanwhile: a wait over 1 s while
 * the process itself was busy for over 1 s is a held event loop; a long wait while the process
 * was idle is the machine's other load (five test runs on two cores), not ours.
 */
export class HealthWatch {
  private timer?: NodeJS.Timeout;
  private pendingSince: number[] = [];
  maxMs = 0;
  /** The longest probe wait during which the process itself was busy (min of wait and own CPU time). */
  maxBusyMs = 0;
  probes = 0;
  /** What was in flight when a probe took longer than half a second (to find the request that held the loop). */
  readonly slow: string[] = [];

  constructor(
    private readonly url: string,
    private readonly inFlight: () => string[] = () => [],
  ) {}

  start(everyMs = 200): void {
    this.timer = setInterval(() => {
      const t0 = performance.now();
      const cpu0 = cpuMs();
      this.pendingSince.push(t0);
      this.probes++;
      void fetch(`${this.url}/health`, { signal: AbortSignal.timeout(10_000) })
        .then((r) => r.arrayBuffer())
        .catch(() => undefined)
        .finally(() => {
          const ms = performance.now() - t0;
          const busy = Math.min(ms, cpuMs() - cpu0);
          if (ms > 500 && this.slow.length < 10) {
            this.slow.push(
              `${ms.toFixed(0)} ms (process busy ${busy.toFixed(0)} ms) with ${this.inFlight().join(' | ') || 'nothing'} in flight`,
            );
          }
          this.maxMs = Math.max(this.maxMs, ms);
          this.maxBusyMs = Math.max(this.maxBusyMs, busy);
          this.pendingSince.splice(this.pendingSince.indexOf(t0), 1);
        });
    }, everyMs);
  }

  stop(): number {
    clearInterval(this.timer);
    const now = performance.now();
    for (const t of this.pendingSince) this.maxMs = Math.max(this.maxMs, now - t);
    return this.maxMs;
  }
}

/** Sends the requests with `concurrency` in flight; returns findings (first per op + problem) and counts. */
export async function runFuzz(
  requests: FuzzRequest[],
  tokens: Record<string, string>,
  outOfArea: Record<string, OutOfArea>,
  opts: { concurrency: number; deadline: number; inFlight?: Set<string> },
): Promise<{ sent: number; byStatus: Record<string, number>; findings: FuzzFinding[]; heaviest: string[] }> {
  const inFlight = opts.inFlight ?? new Set<string>();
  /** Process CPU while each request was in flight (blurred by the other worker): the top few are printed. */
  const heavy: Array<{ ms: number; label: string }> = [];
  const findings = new Map<string, FuzzFinding>();
  const byStatus: Record<string, number> = {};
  let next = 0;
  let sent = 0;
  const worker = async () => {
    while (next < requests.length && Date.now() < opts.deadline) {
      const req = requests[next++];
      const credential = tokens[req.as];
      const headers: Record<string, string> = credential.startsWith('fx_')
        ? { 'X-API-Key': credential }
        : { Authorization: `Bearer ${credential}` };
      if (req.contentType) headers['Content-Type'] = req.contentType;
      let status = 0;
      let text = '';
      let type = '';
      const label = `${req.op.method.toUpperCase()} ${req.url.replace(/^https?:\/\/[^/]+/, '').slice(0, 80)} ${(req.body ?? '').slice(0, 80)}`;
      inFlight.add(label);
      const cpu0 = cpuMs();
      try {
        const res = await fetch(req.url, {
          method: req.op.method.toUpperCase(),
          headers,
          body: req.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        type = res.headers.get('content-type') ?? '';
        text = await res.text();
      } catch (err) {
        status = 599;
        text = `client error: ${(err as Error).message}`;
      } finally {
        inFlight.delete(label);
        heavy.push({ ms: cpuMs() - cpu0, label: `${label} → ${status}` });
        if (heavy.length > 20) heavy.sort((a, b) => b.ms - a.ms).splice(5);
      }
      sent++;
      byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
      const problem = judge(req, status, type, text, outOfArea[req.as]);
      const key = `${req.op.method} ${req.op.path} ${problem}`;
      if (problem && !findings.has(key)) {
        findings.set(key, {
          op: `${req.op.method.toUpperCase()} ${req.op.path}`,
          as: req.as,
          status,
          problem,
          request: `${req.url.replace(/^https?:\/\/[^/]+/, '').slice(0, 300)} ${(req.body ?? '').slice(0, 300)}`,
          response: text.slice(0, 300),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const heaviest = heavy
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((h) => `${h.ms.toFixed(0)} ms CPU: ${h.label}`);
  return { sent, byStatus, findings: [...findings.values()], heaviest };
}
