import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { StartCampaignInput } from '../wakeup.types';

export interface CampaignRow {
  id: string;
  source: 'warning' | 'manual' | 'evacuation';
  sourceKey: string;
  warningId: string | null;
  warningKind: string;
  level: 'blue' | 'yellow' | 'orange' | 'red';
  ruleName: string | null;
  title: string;
  message: string;
  drill: boolean;
  state: 'active' | 'closed';
  area: Record<string, unknown>;
  unreachable: Array<{ holderId: string; name: string; reason: string }>;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
  closeReason: string | null;
}

const COLUMNS = `c.id, c.source, c.source_key as "sourceKey", c.warning_id as "warningId", c.warning_kind as "warningKind",
  c.level, c.rule_name as "ruleName", c.title, c.message, c.drill, c.state, c.area, c.unreachable,
  c.created_by as "createdBy", c.created_at as "createdAt", c.closed_at as "closedAt", c.close_reason as "closeReason"`;

export interface CampaignFilter {
  state?: 'active' | 'closed';
  warningId?: string;
  /** Campaigns with at least one call inside this subtree (a town sees its town's campaigns). */
  withinPath?: string;
  limit: number;
  before?: { createdAt: Date; id: string };
}

@Injectable()
export class CampaignRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /** The new campaign's id, or null when one with this source key exists (it wins). */
  async insert(m: EntityManager, c: StartCampaignInput, now: Date): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(
      `insert into wakeup_campaigns (source, source_key, warning_id, warning_kind, level, rule_name, title, message, drill,
                                     area, unreachable, created_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       on conflict (source_key) do nothing returning id`,
      [
        c.source,
        c.sourceKey,
        c.warningId ?? null,
        c.warningKind,
        c.level,
        c.ruleName,
        c.title,
        c.message,
        c.drill,
        JSON.stringify(c.area),
        JSON.stringify(c.unreachable),
        c.createdBy,
        now,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async findBySourceKey(key: string, m?: EntityManager): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await (m ?? this.ds).query(`select ${COLUMNS} from wakeup_campaigns c where c.source_key = $1`, [key]);
    return rows[0] ?? null;
  }

  async get(id: string, m?: EntityManager): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await (m ?? this.ds).query(`select ${COLUMNS} from wakeup_campaigns c where c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(f: CampaignFilter): Promise<CampaignRow[]> {
    return this.ds.query(
      `select ${COLUMNS} from wakeup_campaigns c
       where ($1::text is null or c.state = $1) and ($2::uuid is null or c.warning_id = $2)
         and ($3::ltree is null or exists (select 1 from wakeup_calls k where k.campaign_id = c.id and k.division_path <@ $3::ltree))
         and ($4::timestamptz is null or (c.created_at, c.id) < ($4, $5::uuid))
       order by c.created_at desc, c.id desc limit $6`,
      [f.state ?? null, f.warningId ?? null, f.withinPath ?? null, f.before?.createdAt ?? null, f.before?.id ?? null, f.limit],
    );
  }

  async touchesArea(id: string, path: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      'select 1 from wakeup_calls where campaign_id = $1 and division_path <@ $2::ltree limit 1',
      [id, path],
    );
    return rows.length > 0;
  }

  /** Running campaigns of these warnings, read without a lock (to compare levels). */
  async activeForWarnings(warningIds: string[]): Promise<CampaignRow[]> {
    return this.ds.query(`select ${COLUMNS} from wakeup_campaigns c where c.warning_id = any($1::uuid[]) and c.state = 'active'`, [
      warningIds,
    ]);
  }

  async activeForWarning(m: EntityManager, warningId: string): Promise<CampaignRow[]> {
    return m.query(`select ${COLUMNS} from wakeup_campaigns c where c.warning_id = $1 and c.state = 'active' for update`, [warningId]);
  }

  /** Running campaigns of these warnings, locked (an Update is applied to them). */
  async lockActiveForWarnings(m: EntityManager, warningIds: string[]): Promise<CampaignRow[]> {
    return m.query(
      `select ${COLUMNS} from wakeup_campaigns c where c.warning_id = any($1::uuid[]) and c.state = 'active' order by c.id for update`,
      [warningIds],
    );
  }

  /**
   * The campaign now follows the Update (whose Cancel will close it): its warning, level, title
   * and message are the Update's; its calls and answers stay.
   */
  async follow(
    m: EntityManager,
    id: string,
    to: { warningId: string; level: CampaignRow['level']; title: string; message: string; area: Record<string, unknown> },
  ): Promise<void> {
    await m.query(`update wakeup_campaigns set warning_id = $2, level = $3, title = $4, message = $5, area = $6 where id = $1`, [
      id,
      to.warningId,
      to.level,
      to.title,
      to.message,
      JSON.stringify(to.area),
    ]);
  }

  async close(m: EntityManager, id: string, reason: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `with u as (update wakeup_campaigns set state = 'closed', closed_at = $3, close_reason = $2 where id = $1 and state = 'active' returning id)
       select id from u`,
      [id, reason, now],
    );
    return rows.length > 0;
  }
}
