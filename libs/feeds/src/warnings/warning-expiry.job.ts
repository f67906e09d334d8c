import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { WarningService } from './warning.service';

/**
 * Thin tick: the service claims expired warnings with FOR UPDATE SKIP LOCKED, so two workers
 * never expire (and announce) the same warning. Drains in batches until nothing is due.
 */
@Injectable()
export class WarningExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(WarningExpiryJob.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly warnings: WarningService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.feeds.warningExpirySeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      for (let n = await this.warnings.expireDue(); n > 0; n = await this.warnings.expireDue()) total += n;
      if (total) this.log.log(`expired ${total} warning(s)`);
    } catch (err) {
      this.log.error(`warning expiry failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
    return total;
  }
}
