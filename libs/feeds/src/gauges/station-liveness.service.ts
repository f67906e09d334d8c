import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { defaultScopePath, Principal } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, OutboxService } from '@fangxun/database';
import { DivisionService } from '@fangxun/registry';
import { FeedHealthAlertDto } from './station.dto';
import { LivenessChange, StationLivenessRepository } from './station-liveness.repository';

/** Outbox topics, appended in the transaction that changes the station's liveness. */
export const FEED_HEALTH_TOPICS = {
  silent: 'feed_health.station_silent',
  recovered: 'feed_health.station_recovered',
} as const;

export interface LivenessResult {
  silenced: string[];
  revived: string[];
}

/**
 * A gauge that stops reporting is as dangerous as one that reports red: the duty officer
 * must know the rain picture has a hole. Time comes in as an argument so tests set it.
 */
@Injectable()
export class StationLivenessService {
  constructor(
    private readonly repo: StationLivenessRepository,
    private readonly divisions: DivisionService,
    private readonly outbox: OutboxService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One liveness pass at `now`; safe to run on two workers at once (SKIP LOCKED). */
  async check(now: Date): Promise<LivenessResult> {
    const minutes = this.config.feeds.silentAfterMinutes;
    return inTransaction(this.ds, async (m) => {
      await this.repo.closeForInactive(now, m);
      const revived = await this.repo.markAlive(now, minutes, null, m);
      const silenced = await this.repo.markSilent(now, minutes, m);
      await this.announce(FEED_HEALTH_TOPICS.recovered, revived, now, m);
      await this.announce(FEED_HEALTH_TOPICS.silent, silenced, now, m);
      return { silenced: silenced.map((c) => c.stationId), revived: revived.map((c) => c.stationId) };
    });
  }

  /** Called by ingest inside its transaction: stations that just reported are alive again. */
  async revive(stationIds: string[], now: Date, manager: EntityManager): Promise<void> {
    if (!stationIds.length) return;
    const revived = await this.repo.markAlive(now, this.config.feeds.silentAfterMinutes, stationIds, manager);
    await this.announce(FEED_HEALTH_TOPICS.recovered, revived, now, manager);
  }

  /** One outbox event per station, in the caller's transaction (rare: a handful per pass). */
  private async announce(topic: string, changes: LivenessChange[], at: Date, manager: EntityManager): Promise<void> {
    for (const c of changes) {
      await this.outbox.append(manager, {
        topic,
        key: c.stationId,
        payload: {
          stationId: c.stationId,
          stationCode: c.stationCode,
          stationName: c.stationName,
          kind: c.kind,
          divisionCode: c.divisionCode,
          alertId: c.alertId,
          lastObservedAt: c.lastObservedAt ? new Date(c.lastObservedAt).toISOString() : null,
          at: at.toISOString(),
        },
      });
    }
  }

  async listAlerts(principal: Principal, open: boolean | undefined, limit: number): Promise<FeedHealthAlertDto[]> {
    const within = defaultScopePath(principal, await this.divisions.rootPath());
    const rows = await this.repo.listAlerts(within, open, limit);
    return rows.map((r) => ({
      id: r.id,
      stationCode: r.stationCode,
      stationName: r.stationName,
      divisionCode: r.divisionCode,
      kind: r.kind,
      openedAt: new Date(r.openedAt).toISOString(),
      lastObservedAt: r.lastObservedAt ? new Date(r.lastObservedAt).toISOString() : null,
      closedAt: r.closedAt ? new Date(r.closedAt).toISOString() : null,
    }));
  }
}
