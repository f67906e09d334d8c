import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { Clock } from '@fangxun/common';
import { StationLivenessService } from './station-liveness.service';

/**
 * Worker-only: every feeds.livenessCheckSeconds, one liveness pass at the clock's time. The
 * pass claims stations with SKIP LOCKED, so two workers never raise the same alert twice.
 */
@Injectable()
export class StationLivenessScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(StationLivenessScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly liveness: StationLivenessService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.feeds.livenessCheckSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.running) return; // a slow pass is not overlapped by the next one
    this.running = true;
    try {
      const r = await this.liveness.check(this.clock.now());
      if (r.silenced.length || r.revived.length) this.log.log(`liveness: ${r.silenced.length} went silent, ${r.revived.length} back`);
    } catch (err) {
      this.log.error(`liveness check failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
