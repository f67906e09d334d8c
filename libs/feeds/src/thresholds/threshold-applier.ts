import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '@fangxun/common';
import { inTransaction } from '@fangxun/database';
import { FlashFloodWatchRow, RiskObjectService, RiskStatus } from '@fangxun/geo';
import type { CapPair } from '../cap/cap.types';
import { WarningErrors } from '../warnings/warning.errors';
import { WarningService } from '../warnings/warning.service';
import { ThresholdRepository } from './threshold.repository';
import { Subject, THRESHOLD_ACTOR, WithdrawnEvidence } from './threshold.types';
import { Crossing, decide } from './threshold-hysteresis';

const FLASH_LEVELS = ['prepare', 'evacuate'];

/**
 * Decides one subject under its locked state row and applies a crossing — the warning (raised,
 * updated or cancelled through WarningService, which writes its outbox event), the risk
 * object's status, the threshold event and the new state — in one transaction.
 *
 * Evidence withdrawn: when readings in the current level's windows were flagged suspect after
 * the level was reached, the level stood (at least partly) on rain that did not fall. The
 * subject is then decided without the time hold: it keeps its level only if the clean readings
 * still hold it (the lowerRatio band), else it is lowered to what they support or lifted at
 * once, with a reason on the warning, the zone and the threshold event. The time hold exists
 * so that rain easing for a moment does not lift a warning; it must not keep people woken on a
 * reading that has been disproven.
 */
@Injectable()
export class ThresholdApplier {
  constructor(
    private readonly repo: ThresholdRepository,
    private readonly warnings: WarningService,
    private readonly riskObjects: RiskObjectService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  async apply(s: Subject, at: Date, zone?: FlashFloodWatchRow): Promise<Crossing<string> | null> {
    return inTransaction(this.ds, async (m) => {
      const st = await this.repo.lockState(s.rule, s.code, m);
      if (!st) return null; // another worker is deciding this subject right now
      let humanCleared = st.humanClearedLevel;
      // A person cleared the zone while we had it at a level: remember at which, so the same rain does not flip it back.
      if (zone && st.level && zone.status === 'cleared' && zone.statusChangedBy !== THRESHOLD_ACTOR) {
        humanCleared = higher(humanCleared, st.level);
      }
      const gone = withdrawnSince(s, st.level, st.levelSince, at);
      const rules = gone.length ? { ...s.rules, holdMs: 0 } : s.rules;
      const d = decide(rules, s.sums, { level: st.level, belowSince: st.belowSince }, at);
      // A level kept on clean readings after a withdrawal stands on them from now on.
      const next = {
        ...st,
        level: d.state.level,
        belowSince: d.state.belowSince,
        humanClearedLevel: humanCleared,
        levelSince: gone.length ? at : st.levelSince,
      };
      const c = d.crossing;
      if (!c) {
        await this.repo.saveState(s.rule, s.code, next, at, m);
        return null;
      }
      next.levelSince = c.to ? at : null;
      const withdrawn = gone.length && (c.direction === 'lift' || c.direction === 'downgrade') ? gone : [];
      const reason = withdrawn.length ? describeWithdrawal(s, c, withdrawn) : null;
      const warningId = await this.warn(s, c, st.warningId, m, withdrawn.length ? announceWithdrawal(s, c, withdrawn) : null);
      next.warningId = c.to ? warningId : null;
      const status = zone ? await this.moveStatus(zone, c, humanCleared, m, reason) : null;
      if (!c.to) next.humanClearedLevel = null; // the episode is over
      await this.repo.insertEvent(
        {
          rule: s.rule,
          subject: s.code,
          subjectName: s.name,
          divisionPath: s.divisionPath,
          windowHours: c.criterion.windowHours,
          sumMm: round1(c.sumMm),
          thresholdMm: c.criterion.mm,
          from: c.from,
          to: c.to,
          direction: c.direction,
          evidence: s.evidence,
          warningId,
          riskStatusFrom: status?.from ?? null,
          riskStatusTo: status?.to ?? null,
          reason,
          occurredAt: at,
        },
        m,
      );
      await this.repo.saveState(s.rule, s.code, next, at, m);
      return c;
    });
  }

  /** Raise, update (upgrade/downgrade) or cancel (lift); a warning someone else ended is raised anew. */
  private async warn(
    s: Subject,
    c: Crossing<string>,
    prevId: string | null,
    m: EntityManager,
    withdrawal: string | null,
  ): Promise<string | null> {
    // A withdrawal's reason is the warning's description (the Cancel's, or the Update's): what
    // the wake-up consumer and every reader of the warning see as the why.
    const description = withdrawal ?? describe(s, c);
    const parameters = withdrawal ? [...params(s, c), { valueName: 'thresholdWithdrawn', value: 'evidence suspect' }] : params(s, c);
    const gone = (e: unknown) => e instanceof AppError && (e.kind === WarningErrors.NotActive || e.kind === WarningErrors.NotFound);
    if (!c.to) {
      if (!prevId) return null;
      return this.warnings.cancel(prevId, description, THRESHOLD_ACTOR, m).catch((e: unknown) => {
        if (gone(e)) return null;
        throw e;
      });
    }
    const level = s.warningLevel(c.to);
    const headline = s.headline(c.to);
    if (prevId) {
      const updated = await this.warnings
        .update(prevId, { level, headline, description, parameters, createdBy: THRESHOLD_ACTOR }, m)
        .catch((e: unknown) => {
          if (gone(e)) return null;
          throw e;
        });
      if (updated) return updated;
    }
    return this.warnings.raise(
      {
        kind: s.kind,
        level,
        origin: 'threshold',
        event: s.event,
        headline,
        description,
        divisionCodes: [s.divisionCode],
        areaDesc: s.name,
        parameters,
        createdBy: THRESHOLD_ACTOR,
      },
      m,
    );
  }

  /**
   * The zone's status follows the rain up at once (prepare, evacuate), never down while rain
   * persists (a downgrade leaves it), back to normal only when the level is lifted after the
   * hold and only if we set the current status. A person's `cleared` holds until the level is
   * lifted or rises above the level it was cleared at. When the evidence is withdrawn the status
   * follows the level down at once (立即转移 → 准备转移, or back to normal), still only if we
   * set it.
   */
  private async moveStatus(
    zone: FlashFloodWatchRow,
    c: Crossing<string>,
    humanCleared: string | null,
    m: EntityManager,
    withdrawal: string | null,
  ): Promise<{ from: RiskStatus; to: RiskStatus } | null> {
    let target: RiskStatus | null = null;
    if (c.direction === 'raise' || c.direction === 'upgrade') {
      const suppressed = humanCleared !== null && FLASH_LEVELS.indexOf(c.to!) <= FLASH_LEVELS.indexOf(humanCleared);
      const wanted = c.to as RiskStatus;
      if (!suppressed && !(zone.status === 'evacuate' && wanted === 'prepare')) target = wanted;
    } else if (
      c.direction === 'lift' &&
      (zone.status === 'prepare' || zone.status === 'evacuate') &&
      zone.statusChangedBy === THRESHOLD_ACTOR
    ) {
      target = 'normal';
    } else if (
      withdrawal &&
      c.direction === 'downgrade' &&
      zone.status === 'evacuate' &&
      c.to === 'prepare' &&
      zone.statusChangedBy === THRESHOLD_ACTOR
    ) {
      target = 'prepare';
    }
    if (!target) return null;
    const rain = `${c.direction} ${c.to ?? 'lifted'}: ${round1(c.sumMm)} mm / ${c.criterion.windowHours} h (line ${c.criterion.mm} mm)`;
    const reason = withdrawal ? `alarm withdrawn, evidence suspect — ${rain}` : rain;
    const r = await this.riskObjects.setStatus(zone.id, target, reason, THRESHOLD_ACTOR, m);
    // RiskObjectService.setStatus writes the status outbox event in this same transaction.
    if (!r.changed) return null;
    return { from: r.previousStatus, to: r.status };
  }
}

function higher(a: string | null, b: string): string {
  return a && FLASH_LEVELS.indexOf(a) >= FLASH_LEVELS.indexOf(b) ? a : b;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** The readings that caused it, in words a duty officer reads. */
function describe(s: Subject, c: Crossing<string>): string {
  const top = s.evidence
    .filter((e) => e.windowHours === c.criterion.windowHours)
    .slice(0, 5)
    .map((e) => `${e.stationCode} ${e.mm} mm`)
    .join(', ');
  const what = c.to ? `${c.direction} to ${c.to}` : `${c.from} lifted`;
  return `${s.name}: ${what}. ${c.criterion.windowHours} h rainfall ${round1(c.sumMm)} mm against ${c.criterion.mm} mm${top ? ` (${top})` : ''}.`;
}

/**
 * The readings a level stood on that have been flagged since it was reached, inside the windows
 * of that level's criteria (a flag on older rain did not hold this level).
 */
function withdrawnSince(s: Subject, level: string | null, since: Date | null, at: Date): WithdrawnEvidence[] {
  if (!level || !s.withdrawn.length) return [];
  const hours = Math.max(0, ...s.rules.criteria.filter((c) => c.level === level).map((c) => c.windowHours));
  const from = at.getTime() - hours * 3_600_000;
  return s.withdrawn.filter((w) => (!since || w.flaggedAt >= since) && w.observedAt.getTime() > from);
}

/**
 * 证据失效, short: the withdrawn warning's description (a Cancel's note), which the wake-up
 * sends to everyone it called — one SMS-sized line; the threshold event keeps the full account.
 */
function announceWithdrawal(s: Subject, c: Crossing<string>, gone: WithdrawnEvidence[]): string {
  const codes = [...new Set(gone.map((g) => `${g.stationCode} ${g.mm} mm`))].slice(0, 3).join('、');
  const lowered = c.to ? `，按可信读数降为${c.to}` : '';
  return `证据失效，警报撤回：${s.name}所依据的读数（${codes}）已判为可疑${lowered} — alarm withdrawn: evidence suspect`.slice(0, 150);
}

/** 证据失效: why the alarm is withdrawn, in words a duty officer reads (the threshold event's reason). */
function describeWithdrawal(s: Subject, c: Crossing<string>, gone: WithdrawnEvidence[]): string {
  const readings = gone
    .slice(0, 5)
    .map((g) => `${g.stationCode} ${g.mm} mm @ ${g.observedAt.toISOString()}${g.reason ? ` (${g.reason})` : ''}`)
    .join('; ');
  const outcome = c.to ? `按可信读数降为${c.to} / lowered to ${c.to} on the clean readings` : '警报解除 / lifted';
  return (
    `证据失效，警报撤回：${s.name}的${c.from}级依据读数已判为可疑 — alarm withdrawn: evidence suspect. ` +
    `Suspect now: ${readings}${gone.length > 5 ? ` and ${gone.length - 5} more` : ''}. ` +
    `${outcome}; clean ${c.criterion.windowHours} h rainfall ${round1(c.sumMm)} mm against ${c.criterion.mm} mm.`
  );
}

function params(s: Subject, c: Crossing<string>): CapPair[] {
  return [
    { valueName: 'thresholdRule', value: s.rule },
    { valueName: 'thresholdSubject', value: s.code },
    { valueName: 'thresholdWindowHours', value: String(c.criterion.windowHours) },
    { valueName: 'thresholdSumMm', value: String(round1(c.sumMm)) },
    { valueName: 'thresholdMm', value: String(c.criterion.mm) },
    { valueName: 'thresholdReadings', value: JSON.stringify(s.evidence.slice(0, 20)) },
  ];
}
