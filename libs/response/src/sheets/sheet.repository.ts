import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ListPage } from '../orders/order.repository';
import type { ChainState } from './sheet.dto';

export interface ChainRow {
  id: string;
  incidentId: string;
  title: string;
  state: ChainState;
  riskObjectCodes: string[];
  townCodes: string[];
  townPaths: string[];
  orderId: string | null;
  dueAt: Date | null;
  overdueAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  closeNote: string | null;
}

export interface SheetRow {
  id: string;
  kind: 'risk_prompt' | 'control_instruction' | 'feedback';
  authorGroup: string;
  content: Record<string, unknown>;
  townCode: string | null;
  createdBy: string;
  createdAt: Date;
}

const CHAIN_COLUMNS = `c.id, c.incident_id as "incidentId", c.title, c.state, c.risk_object_codes as "riskObjectCodes",
  c.town_codes as "townCodes", c.town_paths::text[] as "townPaths", c.order_id as "orderId", c.due_at as "dueAt",
  c.overdue_at as "overdueAt", c.created_by as "createdBy", c.created_at as "createdAt", c.updated_at as "updatedAt",
  c.closed_at as "closedAt", c.close_note as "closeNote"`;

/** The 1833 sheet chains and their sheets (raw SQL; tables owned by libs/response). */
@Injectable()
export class SheetRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insertChain(
    m: EntityManager,
    c: Pick<ChainRow, 'incidentId' | 'title' | 'riskObjectCodes' | 'townCodes' | 'townPaths' | 'createdBy' | 'createdAt'>,
  ): Promise<string> {
    const [row]: Array<{ id: string }> = await m.query(
      `insert into response_sheet_chains (incident_id, title, risk_object_codes, town_codes, town_paths, created_by, created_at, updated_at)
       values ($1, $2, $3, $4, $5::ltree[], $6, $7, $7) returning id`,
      [c.incidentId, c.title, c.riskObjectCodes, c.townCodes, c.townPaths, c.createdBy, c.createdAt],
    );
    return row.id;
  }

  async insertSheet(m: EntityManager, chainId: string, s: Omit<SheetRow, 'id'>): Promise<string> {
    const [row]: Array<{ id: string }> = await m.query(
      `insert into response_sheets (chain_id, kind, author_group, content, town_code, created_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [chainId, s.kind, s.authorGroup, JSON.stringify(s.content), s.townCode, s.createdBy, s.createdAt],
    );
    return row.id;
  }

  async get(id: string, m?: EntityManager, lock = false): Promise<ChainRow | undefined> {
    const rows: ChainRow[] = await (m ?? this.ds).query(
      `select ${CHAIN_COLUMNS} from response_sheet_chains c where c.id = $1 ${lock ? 'for update' : ''}`,
      [id],
    );
    return rows[0];
  }

  async sheetsOf(chainId: string, m?: EntityManager): Promise<SheetRow[]> {
    return (m ?? this.ds).query(
      `select id, kind, author_group as "authorGroup", content, town_code as "townCode", created_by as "createdBy", created_at as "createdAt"
       from response_sheets where chain_id = $1 order by seq`,
      [chainId],
    );
  }

  /** Chains touching `scopePath` (one of their towns at or below it, or it below one of them), a keyset page. */
  async list(q: ListPage & { incidentId?: string; state?: string }, scopePath: string | null): Promise<ChainRow[]> {
    const [cmp, dir] = q.desc ? ['<', 'desc'] : ['>', 'asc'];
    return this.ds.query(
      `select ${CHAIN_COLUMNS} from response_sheet_chains c
       where ($1::uuid is null or c.incident_id = $1) and ($2::text is null or c.state = $2)
         and ($3::ltree is null or exists (select 1 from unnest(c.town_paths) p where p <@ $3::ltree or $3::ltree <@ p))
         and ($5::timestamptz is null or (c.created_at, c.id) ${cmp} ($5::timestamptz, $6::uuid))
       order by c.created_at ${dir}, c.id ${dir} limit $4`,
      [q.incidentId ?? null, q.state ?? null, scopePath, q.limit, q.after?.[0] ?? null, q.after?.[1] ?? null],
    );
  }

  async update(
    m: EntityManager,
    id: string,
    set: Partial<Pick<ChainRow, 'state' | 'orderId' | 'dueAt' | 'closedAt' | 'closeNote'>>,
    now: Date,
  ): Promise<void> {
    await m.query(
      `update response_sheet_chains set state = coalesce($2, state), order_id = coalesce($3, order_id), due_at = coalesce($4, due_at),
         closed_at = coalesce($5, closed_at), close_note = coalesce($6, close_note), updated_at = $7, version = version + 1
       where id = $1`,
      [id, set.state ?? null, set.orderId ?? null, set.dueAt ?? null, set.closedAt ?? null, set.closeNote ?? null, now],
    );
  }

  /** Instructed chains past their deadline without feedback, claimed and marked overdue once. */
  async markOverdue(m: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `with due as (
         select id from response_sheet_chains where state = 'instructed' and overdue_at is null and due_at <= $1
         order by due_at, id limit $2 for update skip locked)
       , u as (update response_sheet_chains c set overdue_at = $1, updated_at = $1, version = version + 1 from due where c.id = due.id returning c.id)
       select id from u`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }
}
