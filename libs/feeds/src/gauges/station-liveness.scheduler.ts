import { Inject, Injectable } from '@nestjs/common';
import { Clock, IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { StationLivenessService } from './station-liveness.service';

/**
 * Worker-only: every feeds.livenessCheckSeconds, one liveness pass at the clock's time. The
 * pass claims stations with SKIP LOCKED, so two workers never raise the same alert twice.
 */
@Injectable()
export class StationLivenessScheduler extends IntervalJob {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly liveness: StationLivenessService,
    private readonly clock: Clock,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.feeds.livenessCheckSeconds * 1000;
  }

  protected async round(): Promise<number> {
    const r = await this.liveness.check(this.clock.now());
    if (r.silenced.length || r.revived.length) this.log.log(`liveness: ${r.silenced.length} went silent, ${r.revived.length} back`);
    return r.silenced.length + r.revived.length;
  }
}
