import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const storage = new AsyncLocalStorage<string>();

/**
 * The correlation id of the work in progress: the HTTP request id (the one nestjs-pino logs and
 * the error body returns; platform's interceptor runs each handler inside it), or one made for
 * a job's tick. Audit rows carry it, so a row leads to the request's log lines.
 */
export const Correlation = {
  current(): string | null {
    return storage.getStore() ?? null;
  },
  run<T>(id: string, fn: () => T): T {
    return storage.run(id, fn);
  },
  /** For a job tick: `<job>:<uuid>` so its audit rows group together. */
  runJob<T>(job: string, fn: () => T): T {
    return storage.run(`${job}:${randomUUID()}`, fn);
  },
};
