import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { ResponseScope } from '@fangxun/wakeup';
import type { Incident } from '../incidents/incident.types';
import { levelsUpTo } from './level-rules';
import { MeasureRepository } from './measure.repository';

const KIND_ZH = { flood: '防汛', typhoon: '防台风' } as const;

export interface LevelEffects {
  woken: number;
  campaigns: number;
  replannedCalls: number;
  measuresAdded: number;
  reportIntervalMinutes: number;
}

/**
 * What a level obliges, applied in the caller's transaction with the level change itself: the
 * wake-up (the response's own campaign calls the level's people in its towns; every running
 * campaign there follows the level's deadlines while stricter), the checklist of the level and
 * those below for every town in scope (added, never removed), and the report cadence.
 */
@Injectable()
export class LevelApplier {
  constructor(
    private readonly wakeup: ResponseScope,
    private readonly measures: MeasureRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The incident as saved (active, new level or scope); returns what it re-scoped. `cadence`: the report clock restarts. */
  async apply(
    m: EntityManager,
    i: Incident,
    by: string,
    now: Date,
    cadence: boolean,
  ): Promise<{ incident: Incident; effects: LevelEffects }> {
    const policy = this.config.response.levels[i.level];
    const wake = await this.wakeup.applyLevel(
      m,
      {
        sourceKey: `response:${i.id}`,
        townCodes: i.townCodes,
        cityWide: i.cityWide,
        policy: policy.wakeup,
        include: policy.wake,
        campaignLevel: policy.campaignLevel,
        title: `${KIND_ZH[i.kind]}${policy.label}`.slice(0, 200),
        message: `临海市防汛防台抗旱指挥部${i.orderNo ? `（${i.orderNo}）` : ''}启动${KIND_ZH[i.kind]}${policy.label}，请立即到岗履职并回复收到。`,
        createdBy: by.slice(0, 100),
      },
      now,
    );
    const items = levelsUpTo(i.level, i.kind).flatMap((l) =>
      this.config.response.levels[l].measures.flatMap((x) => i.townCodes.map((t) => ({ ...x, level: l, townCode: t }))),
    );
    const measuresAdded = await this.measures.addMissing(m, i.id, items, now);
    const next: Incident = {
      ...i,
      campaignId: wake.campaignId ?? i.campaignId,
      reportIntervalMinutes: policy.reportIntervalMinutes,
      nextReportDueAt: cadence || !i.nextReportDueAt ? new Date(now.getTime() + policy.reportIntervalMinutes * 60_000) : i.nextReportDueAt,
    };
    return {
      incident: next,
      effects: {
        woken: wake.woken,
        campaigns: wake.campaigns,
        replannedCalls: wake.replannedCalls,
        measuresAdded,
        reportIntervalMinutes: policy.reportIntervalMinutes,
      },
    };
  }

  /** The response ends: its campaign closes, the campaigns in its towns go back to their colour's policy. */
  async end(m: EntityManager, i: Incident, reason: string, now: Date): Promise<{ campaigns: number; replannedCalls: number }> {
    return this.wakeup.endResponse(
      m,
      { sourceKey: `response:${i.id}`, townCodes: i.townCodes, cityWide: i.cityWide },
      `应急响应终止：${reason}`.slice(0, 200),
      now,
    );
  }
}
