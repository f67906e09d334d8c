import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { SenderPass, SmsSender } from './sms-sender';

/** One lane's loop: a pass every `intervalMs`, at once again while passes come back full. */
class Lane {
  private timer: NodeJS.Timeout | null = null;
  running: Promise<void> | null = null;
  stopped = false;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<SenderPass>,
    private readonly limit: number,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then((full) => this.schedule(full ? 0 : this.intervalMs));
    }, delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async tick(): Promise<boolean> {
    try {
      return (await this.pass()).claimed >= this.limit;
    } catch (err) {
      this.log.error(`sms ${this.name} pass failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
}

/**
 * Worker-only thin loops, one per lane: the fresh lane (first sends and retries) and the
 * recovery lane (unknown outcomes asked of the provider) run independently, so a slow status
 * API never holds back a new wake-up order. All the work and every guarantee are in
 * SmsSender; two workers running these at once is safe.
 */
@Injectable()
export class SmsSenderJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SmsSenderJob.name);
  private readonly lanes: Lane[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    sender: SmsSender,
  ) {
    const cfg = config.sms.sender;
    this.lanes = [
      new Lane('fresh', () => sender.runFresh(), cfg.claimLimit, cfg.intervalMs, this.log),
      new Lane('recovery', () => sender.runRecovery(), cfg.recoveryClaimLimit, cfg.intervalMs, this.log),
    ];
  }

  onApplicationBootstrap(): void {
    if (this.config.sms.sender.enabled) this.lanes.forEach((l) => l.schedule(0));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.stop()));
  }
}
