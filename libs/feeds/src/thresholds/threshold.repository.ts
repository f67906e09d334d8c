import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Evidence, ThresholdRule } from './threshold.types';
import type { Direction } from './threshold-hysteresis';

export interface StateRow {
  level: string | null;
  warningId: string | null;
  belowSince: Date | null;
  humanClearedLevel: string | null;
  /** When the subject reached its current level (null at no level, or from before this was kept). */
  levelSince: Date | null;
}

export interface EventInsert {
  rule: ThresholdRule;
  subject: string;
  subjectName: string;
  divisionPath: string;
  windowHours: number;
  sumMm: number;
  thresholdMm: number;
  from: string | null;
  to: string | null;
  direction: Direction;
  evidence: Evidence[];
  warningId: string | null;
  riskStatusFrom: string | null;
  riskStatusTo: string | null;
  /** Set when the crossing is not the rain's own doing (evidence withdrawn). */
  reason: string | null;
  occurredAt: Date;
}

export interface EventRow extends Omit<EventInsert, 'sumMm' | 'thresholdMm'> {
  id: string;
  sumMm: number;
  thresholdMm: number;
}

export interface EventFilter {
  withinPath: string;
  rules?: string[];
  subject?: string;
  directions?: string[];
  from?: string;
  to?: string;
  after?: [string, string];
  limit: number;
}

/** threshold_states (one locked row per subject while a worker decides) and threshold_events. */
@Injectable()
export class ThresholdRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The subject's state, locked for this transaction; undefined when another worker holds it (it decides). */
  async lockState(rule: ThresholdRule, subject: string, m: EntityManager): Promise<StateRow | undefined> {
    await m.query('insert into threshold_states (rule, subject) values ($1, $2) on conflict do nothing', [rule, subject]);
    const rows: StateRow[] = await m.query(
      `select level, warning_id as "warningId", below_since as "belowSince", human_cleared_level as "humanClearedLevel",
              level_since as "levelSince"
       from threshold_states where rule = $1 and subject = $2 for update skip locked`,
      [rule, subject],
    );
    return rows[0];
  }

  async saveState(rule: ThresholdRule, subject: string, s: StateRow, at: Date, m: EntityManager): Promise<void> {
    await m.query(
      `update threshold_states set level = $3, warning_id = $4, below_since = $5, human_cleared_level = $6,
              evaluated_at = $7, level_since = $8, updated_at = now()
       where rule = $1 and subject = $2`,
      [rule, subject, s.level, s.warningId, s.belowSince, s.humanClearedLevel, at, s.levelSince],
    );
  }

  /** Subjects at a level now: evaluated on every tick even without new readings (their sums decay). */
  async activeSubjects(rule: ThresholdRule): Promise<string[]> {
    const rows: Array<{ subject: string }> = await this.ds.query(
      'select subject from threshold_states where rule = $1 and level is not null',
      [rule],
    );
    return rows.map((r) => r.subject);
  }

  async insertEvent(e: EventInsert, m: EntityManager): Promise<string> {
    const [row]: Array<{ id: string }> = await m.query(
      `insert into threshold_events (rule, subject, subject_name, division_path, window_hours, sum_mm, threshold_mm, level_from,
         level_to, direction, evidence, warning_id, risk_status_from, risk_status_to, occurred_at, reason)
       values ($1, $2, $3, $4::ltree, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16) returning id::text as id`,
      [
        e.rule,
        e.subject,
        e.subjectName,
        e.divisionPath,
        e.windowHours,
        e.sumMm,
        e.thresholdMm,
        e.from,
        e.to,
        e.direction,
        JSON.stringify(e.evidence),
        e.warningId,
        e.riskStatusFrom,
        e.riskStatusTo,
        e.occurredAt,
        e.reason,
      ],
    );
    return row.id;
  }

  /** Newest first, keyset on (occurred_at, id). */
  async list(f: EventFilter): Promise<EventRow[]> {
    const params: unknown[] = [f.withinPath];
    const where = ['division_path <@ $1::ltree'];
    if (f.rules?.length) where.push(`rule = any($${params.push(f.rules)}::text[])`);
    if (f.subject) where.push(`subject = $${params.push(f.subject)}`);
    if (f.directions?.length) where.push(`direction = any($${params.push(f.directions)}::text[])`);
    if (f.from) where.push(`occurred_at >= $${params.push(f.from)}::timestamptz`);
    if (f.to) where.push(`occurred_at < $${params.push(f.to)}::timestamptz`);
    if (f.after) where.push(`(occurred_at, id) < ($${params.push(f.after[0])}::timestamptz, $${params.push(f.after[1])}::bigint)`);
    return this.ds.query(
      `select id::text as id, rule, subject, subject_name as "subjectName", division_path::text as "divisionPath",
              window_hours as "windowHours", sum_mm::float8 as "sumMm", threshold_mm::float8 as "thresholdMm",
              level_from as "from", level_to as "to", direction, evidence, warning_id as "warningId",
              risk_status_from as "riskStatusFrom", risk_status_to as "riskStatusTo", occurred_at as "occurredAt", reason
       from threshold_events where ${where.join(' and ')}
       order by occurred_at desc, id desc limit $${params.push(f.limit)}`,
      params,
    );
  }
}
