import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * A thin worker tick: `round()` every `intervalMs()`, never two rounds of one job at once in a
 * process (a call while one runs returns 0), a failure logged and the next round tried. The
 * round itself claims its work from the database, so several workers may run the same job.
 */
export abstract class IntervalJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly log = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  /** How often (ms), usually from config. */
  protected abstract intervalMs(): number;
  /** One round; returns how many things it did. */
  protected abstract round(): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs());
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One round now (tests call it directly). */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      return await this.round();
    } catch (err) {
      this.log.error(`${this.constructor.name} failed: ${(err as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
