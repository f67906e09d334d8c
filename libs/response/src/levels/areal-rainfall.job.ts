import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ArealProposals } from './areal-proposals';

/**
 * Worker-only: every response.arealEveryMinutes, the areal-rainfall rules once. Proposing locks
 * the open incident of the kind (one open incident per kind), so two workers evaluating at the
 * same moment, or this beside the event loop, propose once. `tick()` (tests call it) returns how
 * many proposals it made or reaffirmed.
 */
@Injectable()
export class ArealRainfallJob extends IntervalJob {
  constructor(
    private readonly areal: ArealProposals,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.response.arealEveryMinutes * 60_000;
  }

  protected async round(): Promise<number> {
    const out = await this.areal.evaluate();
    for (const line of out) this.log.log(`areal rainfall: ${line}`);
    return out.length;
  }
}
