import { Inject, Injectable } from '@nestjs/common';
import { Correlation } from '@fangxun/audit';
import { IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { WarningService } from './warning.service';

/**
 * Thin tick: the service claims expired warnings with FOR UPDATE SKIP LOCKED, so two workers
 * never expire (and announce) the same warning. Drains in batches until nothing is due.
 */
@Injectable()
export class WarningExpiryJob extends IntervalJob {
  constructor(
    private readonly warnings: WarningService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.feeds.warningExpirySeconds * 1000;
  }

  protected async round(): Promise<number> {
    let total = 0;
    const expire = () => Correlation.runJob('warning-expiry', () => this.warnings.expireDue());
    for (let n = await expire(); n > 0; n = await expire()) total += n;
    if (total) this.log.log(`expired ${total} warning(s)`);
    return total;
  }
}
