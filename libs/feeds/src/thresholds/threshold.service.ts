import { Inject, Injectable, Logger } from '@nestjs/common';
import { decodeCursor, defaultScopePath, encodeCursor, Page, Principal } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { FlashFloodWatchRow, RiskObjectService } from '@fangxun/geo';
import { DivisionRef, DivisionService } from '@fangxun/registry';
import type { StationSumsDto } from '../rainfall/rainfall.dto';
import { RainfallService } from '../rainfall/rainfall.service';
import type { WarningLevel } from '../warnings/warning.types';
import { ListThresholdEventsQuery, ThresholdEventDto } from './threshold.dto';
import { toThresholdEventDto } from './threshold.mapper';
import { ThresholdRepository } from './threshold.repository';
import type { Evidence, Subject } from './threshold.types';
import { ThresholdApplier } from './threshold-applier';
import { decide } from './threshold-hysteresis';

const WINDOWS = [1, 3, 6, 12, 24];
const COLOURS = ['blue', 'yellow', 'orange', 'red'] as const;
const FLASH_WARNING: Record<string, WarningLevel> = { prepare: 'orange', evacuate: 'red' };
const FLASH_ZH: Record<string, string> = { prepare: '准备转移', evacuate: '立即转移' };
const COLOUR_ZH: Record<string, string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };

export interface EvaluationResult {
  subjects: number;
  crossings: number;
}

/**
 * Thresholds that act. `evaluate(at)` decides every subject — each town against the rainstorm
 * signal criteria (the wettest of its stations: the CMA signals are point observations, an
 * areal mean would dilute a cell), each flash-flood zone against its own indicators (its
 * nearest gauges) — with suspect readings left out, and applies the crossings. Idempotent:
 * the same state evaluated twice changes nothing; two workers never act twice (row locks).
 */
@Injectable()
export class ThresholdService {
  private readonly log = new Logger(ThresholdService.name);

  constructor(
    private readonly rainfall: RainfallService,
    private readonly divisions: DivisionService,
    private readonly riskObjects: RiskObjectService,
    private readonly applier: ThresholdApplier,
    private readonly repo: ThresholdRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** stationIds: only subjects those stations speak for (plus every subject at a level, whose sums decay). */
  async evaluate(at: Date, stationIds?: string[]): Promise<EvaluationResult> {
    const touched = stationIds && new Set(stationIds);
    const towns = await this.rainstormSubjects(at, touched);
    const zones = await this.flashFloodSubjects(at, touched);
    // A subject at no level with no line reached cannot cross: no need to lock and write its row.
    const [activeTowns, activeZones] = await Promise.all([this.repo.activeSubjects('rainstorm'), this.repo.activeSubjects('flash_flood')]);
    await this.attachWithdrawn(
      [...towns.filter((s) => activeTowns.includes(s.code)), ...zones.filter(([s]) => activeZones.includes(s.code)).map(([s]) => s)],
      at,
    );
    const due = (s: Subject, active: string[]) =>
      active.includes(s.code) || decide(s.rules, s.sums, { level: null, belowSince: null }, at).crossing;
    let crossings = 0;
    for (const s of towns) if (due(s, activeTowns) && (await this.applier.apply(s, at))) crossings++;
    for (const [s, zone] of zones) if (due(s, activeZones) && (await this.applier.apply(s, at, zone))) crossings++;
    if (crossings) this.log.log(`threshold evaluation at ${at.toISOString()}: ${crossings} crossing(s)`);
    return { subjects: towns.length + zones.length, crossings };
  }

  /**
   * Readings that subjects at a level stand on and that were flagged suspect after being stored
   * ok (a later neighbour push, a correction, an impossible window): the applier drops the hold
   * for a subject whose level was reached before such a flag.
   */
  private async attachWithdrawn(active: Subject[], at: Date): Promise<void> {
    const ids = [...new Set(active.flatMap((s) => s.stationIds))];
    if (!ids.length) return;
    const rows = await this.rainfall.withdrawnEvidence(ids, at, Math.max(...WINDOWS));
    for (const s of active) {
      const own = new Set(s.stationIds);
      s.withdrawn = rows
        .filter((r) => own.has(r.stationId))
        .map((r) => ({
          stationId: r.stationId,
          stationCode: r.stationCode,
          observedAt: new Date(r.observedAt),
          mm: r.value,
          reason: r.reason,
          flaggedAt: new Date(r.flaggedAt),
        }));
    }
  }

  async listEvents(principal: Principal, q: ListThresholdEventsQuery): Promise<Page<ThresholdEventDto>> {
    const limit = q.limit ?? 50;
    const after = q.cursor ? (decodeCursor(q.cursor, 'occurredAt', 2) as [string, string]) : undefined;
    const withinPath = defaultScopePath(principal, await this.divisions.rootPath());
    const rows = await this.repo.list({
      withinPath,
      rules: q.rule,
      subject: q.subject,
      directions: q.direction,
      from: q.from,
      to: q.to,
      after,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toThresholdEventDto),
      nextCursor: rows.length > limit && last ? encodeCursor('occurredAt', [new Date(last.occurredAt).toISOString(), last.id]) : null,
    };
  }

  private async rainstormSubjects(at: Date, touched?: Set<string>): Promise<Subject[]> {
    const cfg = this.config.feeds.thresholds;
    const sums = await this.rainfall.sumsAt(at, WINDOWS, { excludeSuspect: true });
    const refs = await this.divisions.findRefsByCodes(sums.map((s) => s.divisionCode));
    const byTown = new Map<string, StationSumsDto[]>();
    for (const s of sums) {
      // ltree labels are division codes: city.town.village… — the second label is the town.
      const town = refs.get(s.divisionCode)?.path.split('.')[1];
      if (town) byTown.set(town, [...(byTown.get(town) ?? []), s]);
    }
    const active = new Set(await this.repo.activeSubjects('rainstorm'));
    const towns = await this.divisions.findRefsByCodes([...byTown.keys()]);
    const rules = { levels: COLOURS, criteria: cfg.rainstorm.signals, lowerRatio: cfg.lowerRatio, holdMs: cfg.holdMinutes * 60_000 };
    const out: Subject[] = [];
    for (const [code, stations] of byTown) {
      const town = towns.get(code);
      if (!town || town.level !== 'town') continue;
      if (touched && !active.has(code) && !stations.some((s) => touched.has(s.stationId))) continue;
      out.push({
        rule: 'rainstorm',
        code,
        name: town.name,
        divisionCode: town.code,
        divisionPath: town.path,
        rules,
        ...combine(stations, 'max'),
        stationIds: stations.map((s) => s.stationId),
        withdrawn: [],
        kind: 'rainstorm',
        warningLevel: (l) => l as WarningLevel,
        event: '暴雨',
        headline: (l) => `${town.name}暴雨${COLOUR_ZH[l] ?? l}预警（自动，实测雨量）`,
      });
    }
    return out;
  }

  private async flashFloodSubjects(at: Date, touched?: Set<string>): Promise<Array<[Subject, FlashFloodWatchRow]>> {
    const cfg = this.config.feeds.thresholds;
    const zones = await this.riskObjects.flashFloodWatch();
    if (!zones.length) return [];
    const active = new Set(await this.repo.activeSubjects('flash_flood'));
    const refs: Map<string, DivisionRef> = await this.divisions.findRefsByCodes(zones.map((z) => z.divisionCode));
    const out: Array<[Subject, FlashFloodWatchRow]> = [];
    for (const z of zones) {
      const near = (await this.rainfall.sumsNear(z.point, cfg.flashFlood.radiusKm, WINDOWS, at, { excludeSuspect: true })).slice(
        0,
        cfg.flashFlood.maxStations,
      );
      const ref = refs.get(z.divisionCode);
      if (!ref || (!near.length && !active.has(z.code))) continue;
      if (touched && !active.has(z.code) && !near.some((s) => touched.has(s.stationId))) continue;
      const criteria = z.indicators.flatMap((i) => [
        { level: 'prepare', windowHours: i.windowHours, mm: i.prepareMm },
        { level: 'evacuate', windowHours: i.windowHours, mm: i.immediateMm },
      ]);
      out.push([
        {
          rule: 'flash_flood',
          code: z.code,
          name: z.name,
          divisionCode: z.divisionCode,
          divisionPath: ref.path,
          rules: { levels: ['prepare', 'evacuate'], criteria, lowerRatio: cfg.lowerRatio, holdMs: cfg.holdMinutes * 60_000 },
          ...combine(near, cfg.flashFlood.aggregate),
          stationIds: near.map((s) => s.stationId),
          withdrawn: [],
          kind: 'flash_flood',
          warningLevel: (l) => FLASH_WARNING[l] ?? 'orange',
          event: '山洪',
          headline: (l) => `${z.name}山洪${FLASH_ZH[l] ?? l}预警（自动，实测雨量）`,
        },
        z,
      ]);
    }
    return out;
  }
}

/** Per window: the max (or mean) over the stations; evidence: every station's non-zero sums, wettest first. */
function combine(stations: StationSumsDto[], how: 'max' | 'mean'): { sums: Map<number, number>; evidence: Evidence[] } {
  const sums = new Map<number, number>();
  const evidence: Evidence[] = [];
  for (const h of WINDOWS) {
    const values = stations.map((s) => ({ code: s.code, mm: s.windows.find((w) => w.hours === h)?.mm ?? 0 }));
    const total = values.reduce((a, v) => a + v.mm, 0);
    sums.set(h, values.length ? (how === 'max' ? Math.max(...values.map((v) => v.mm)) : total / values.length) : 0);
    for (const v of values) if (v.mm > 0) evidence.push({ stationCode: v.code, windowHours: h, mm: v.mm });
  }
  evidence.sort((a, b) => a.windowHours - b.windowHours || b.mm - a.mm);
  return { sums, evidence };
}
