import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { IncidentKind, ResponseLevel } from '@fangxun/config';
import type { Actor, Incident, IncidentStatus, LevelAction, LevelChange, ProposalRecord } from './incident.types';

const COLUMNS = `i.id, i.kind, i.level, i.city_wide as "cityWide", i.town_codes as "townCodes", i.town_paths as "townPaths",
  i.order_no as "orderNo", i.title, i.status, i.source, i.proposal, i.suggestion,
  i.report_interval_minutes as "reportIntervalMinutes", i.next_report_due_at as "nextReportDueAt", i.campaign_id as "campaignId",
  i.created_by as "createdBy", i.created_at as "createdAt", i.started_at as "startedAt", i.ended_at as "endedAt",
  i.end_reason as "endReason", i.version`;

const CHANGE_COLUMNS = `c.id::text, c.incident_id as "incidentId", c.action, c.from_level as "fromLevel", c.to_level as "toLevel",
  c.from_towns as "fromTowns", c.to_towns as "toTowns", c.city_wide as "cityWide", c.reason, c.by_who as "byWho",
  c.by_role as "byRole", c.at, c.version, c.effects`;

export interface NewIncident {
  kind: IncidentKind;
  level: ResponseLevel;
  cityWide: boolean;
  townCodes: string[];
  townPaths: string[];
  orderNo: string | null;
  title: string;
  status: Extract<IncidentStatus, 'proposed' | 'active'>;
  source: 'rule' | 'manual';
  proposal: ProposalRecord | null;
  reportIntervalMinutes: number;
  createdBy: string;
  at: Date;
}

export interface IncidentFilter {
  status?: IncidentStatus;
  /** Only incidents that reach this division path (a town admin's town, a village's town), or city-wide ones. */
  withinPath?: string;
  limit: number;
}

/** Incidents, their level history. Writes run in the caller's transaction. */
@Injectable()
export class IncidentRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The new incident, or null when one of its kind is already open (it wins: one open incident per kind). */
  async insert(m: EntityManager, n: NewIncident): Promise<Incident | null> {
    const rows: Incident[] = await m.query(
      `with i as (
         insert into response_incidents (kind, level, city_wide, town_codes, town_paths, order_no, title, status, source, proposal,
                                         report_interval_minutes, created_by, created_at, started_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, case when $8 = 'active' then $13::timestamptz end)
         on conflict (kind) where status in ('proposed', 'active') do nothing
         returning *)
       select ${COLUMNS} from i`,
      [
        n.kind,
        n.level,
        n.cityWide,
        n.townCodes,
        n.townPaths,
        n.orderNo,
        n.title,
        n.status,
        n.source,
        n.proposal ? JSON.stringify(n.proposal) : null,
        n.reportIntervalMinutes,
        n.createdBy,
        n.at,
      ],
    );
    return rows[0] ?? null;
  }

  async get(id: string, m?: EntityManager): Promise<Incident | null> {
    const rows: Incident[] = await (m ?? this.ds).query(`select ${COLUMNS} from response_incidents i where i.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async lock(m: EntityManager, id: string): Promise<Incident | null> {
    const rows: Incident[] = await m.query(`select ${COLUMNS} from response_incidents i where i.id = $1 for update`, [id]);
    return rows[0] ?? null;
  }

  async lockOpenOfKind(m: EntityManager, kind: IncidentKind): Promise<Incident | null> {
    const rows: Incident[] = await m.query(
      `select ${COLUMNS} from response_incidents i where i.kind = $1 and i.status in ('proposed', 'active') for update`,
      [kind],
    );
    return rows[0] ?? null;
  }

  async findOpen(): Promise<Incident[]> {
    return this.ds.query(
      `select ${COLUMNS} from response_incidents i where i.status in ('proposed', 'active') order by i.created_at, i.id`,
    );
  }

  async list(f: IncidentFilter): Promise<Incident[]> {
    return this.ds.query(
      `select ${COLUMNS} from response_incidents i
       where ($1::text is null or i.status = $1)
         and ($2::ltree is null or i.city_wide or exists (
           select 1 from unnest(i.town_paths) p where p::ltree @> $2::ltree or p::ltree <@ $2::ltree))
       order by i.created_at desc, i.id desc limit $3`,
      [f.status ?? null, f.withinPath ?? null, f.limit],
    );
  }

  /** Writes the changed fields and moves the version on; the caller holds the row locked. */
  async save(m: EntityManager, i: Incident): Promise<Incident> {
    const rows: Incident[] = await m.query(
      `with u as (
         update response_incidents set level = $2, city_wide = $3, town_codes = $4, town_paths = $5, order_no = $6, title = $7,
           status = $8, proposal = $9, suggestion = $10, report_interval_minutes = $11, next_report_due_at = $12, campaign_id = $13,
           started_at = $14, ended_at = $15, end_reason = $16, version = version + 1
         where id = $1 returning *)
       select ${COLUMNS} from u i`,
      [
        i.id,
        i.level,
        i.cityWide,
        i.townCodes,
        i.townPaths,
        i.orderNo,
        i.title,
        i.status,
        i.proposal ? JSON.stringify(i.proposal) : null,
        i.suggestion ? JSON.stringify(i.suggestion) : null,
        i.reportIntervalMinutes,
        i.nextReportDueAt,
        i.campaignId,
        i.startedAt,
        i.endedAt,
        i.endReason,
      ],
    );
    return rows[0];
  }

  /** A rule's suggestion is information, not a decision: it does not move the version commanders race on. */
  async setSuggestion(m: EntityManager, id: string, s: ProposalRecord): Promise<void> {
    await m.query('update response_incidents set suggestion = $2 where id = $1', [id, JSON.stringify(s)]);
  }

  async addChange(
    m: EntityManager,
    c: {
      incident: Incident;
      action: LevelAction;
      from: Pick<Incident, 'level' | 'townCodes'> | null;
      reason: string;
      actor: Actor;
      at: Date;
      effects?: Record<string, unknown>;
    },
  ): Promise<LevelChange> {
    const rows: LevelChange[] = await m.query(
      `with c as (
         insert into response_level_changes (incident_id, action, from_level, to_level, from_towns, to_towns, city_wide, reason,
                                             by_who, by_role, at, version, effects)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning *)
       select ${CHANGE_COLUMNS} from c`,
      [
        c.incident.id,
        c.action,
        c.from?.level ?? null,
        c.incident.level,
        c.from?.townCodes ?? null,
        c.incident.townCodes,
        c.incident.cityWide,
        c.reason.slice(0, 500),
        c.actor.who.slice(0, 100),
        c.actor.role,
        c.at,
        c.incident.version,
        JSON.stringify(c.effects ?? {}),
      ],
    );
    return rows[0];
  }

  async setEffects(m: EntityManager, changeId: string, effects: Record<string, unknown>): Promise<void> {
    await m.query('update response_level_changes set effects = $2 where id = $1', [changeId, JSON.stringify(effects)]);
  }

  async history(id: string): Promise<LevelChange[]> {
    return this.ds.query(`select ${CHANGE_COLUMNS} from response_level_changes c where c.incident_id = $1 order by c.id`, [id]);
  }
}
