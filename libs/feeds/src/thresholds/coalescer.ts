/**
 * Gathers keys and runs one job for all of them a fixed delay after the first arrives; keys
 * that arrive while the job runs go into the next run, started as soon as this one ends (plus
 * the delay). A steady stream therefore runs about once per delay, a burst once, and never two
 * at a time in this process. Errors are handed to `onError`; the keys of a failed run are not
 * retried (the caller's periodic tick is the safety net).
 */
export class Coalescer<K> {
  private pending = new Set<K>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly delayMs: number,
    private readonly job: (keys: K[]) => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  add(keys: Iterable<K>): void {
    if (this.closed) return;
    for (const k of keys) this.pending.add(k);
    if (this.pending.size) this.schedule();
  }

  /** Resolves once nothing is pending or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (!this.timer && !this.running && !this.pending.size) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops what is pending and stops scheduling; a run in progress finishes. */
  close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) this.release();
    return this.running ?? Promise.resolve();
  }

  private schedule(): void {
    if (this.timer || this.running) return;
    this.timer = setTimeout(() => this.fire(), this.delayMs);
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    const keys = [...this.pending];
    this.pending.clear();
    this.running = this.job(keys)
      .then(
        () => undefined,
        (err: unknown) => this.onError(err),
      )
      .finally(() => {
        this.running = undefined;
        if (this.pending.size && !this.closed) this.schedule();
        else this.release();
      });
  }

  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}
