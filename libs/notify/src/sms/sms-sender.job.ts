import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { SmsSender } from './sms-sender';

/**
 * Worker-only thin loop: every `sms.sender.intervalMs` it runs one sender pass, and at once
 * again while passes come back full (draining a public-warning backlog). All the work and
 * every guarantee are in SmsSender; two workers running this at once is safe.
 */
@Injectable()
export class SmsSenderJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SmsSenderJob.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sender: SmsSender,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sms.sender.enabled) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then((full) => this.schedule(full ? 0 : this.config.sms.sender.intervalMs));
    }, delayMs);
  }

  /** One pass; true when it claimed a full batch (more is probably waiting). */
  private async tick(): Promise<boolean> {
    try {
      const pass = await this.sender.runOnce();
      return pass.claimed >= this.config.sms.sender.claimLimit;
    } catch (err) {
      this.log.error(`sms sender pass failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
}
