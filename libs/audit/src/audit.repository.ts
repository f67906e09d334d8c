import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AT_SQL, HashedRow } from './audit-hash';

export interface StoredAuditRow extends HashedRow {
  hash: string;
}

export interface AuditFilter {
  incidentId?: string;
  /** user id or username, API key id or name, or a job's name. */
  actor?: string;
  entity?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  /** Newest first: rows with seq below this. */
  beforeSeq?: string;
  limit: number;
}

const COLUMNS = `seq::text as "seq", ${AT_SQL} as "at", actor_kind as "actorKind", actor_id as "actorId",
  actor_name as "actorName", role, action, entity, entity_id as "entityId", before, after,
  correlation_id as "correlationId", incident_id as "incidentId", prev_hash as "prevHash", hash`;

/** The audit tables' SQL; the only place that names audit_log and audit_head. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Locks the chain's tail until this transaction ends: appends are serialised, never forked. */
  async lockHead(m: EntityManager): Promise<{ seq: string; hash: string }> {
    const [head]: Array<{ seq: string; hash: string }> = await m.query(
      'select seq::text as seq, hash from audit_head where id = 1 for update',
    );
    if (!head) throw new Error('audit_head has no row: run the migrations');
    return head;
  }

  /** One INSERT for a batch of chained rows, and the head moved to the last. */
  async insert(m: EntityManager, rows: StoredAuditRow[]): Promise<void> {
    if (!rows.length) return;
    const col = <K extends keyof StoredAuditRow>(k: K) => rows.map((r) => r[k]);
    await m.query(
      `insert into audit_log (seq, at, actor_kind, actor_id, actor_name, role, action, entity, entity_id, before, after,
                              correlation_id, incident_id, prev_hash, hash)
       select * from unnest($1::bigint[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[],
                            $7::varchar[], $8::varchar[], $9::varchar[], $10::jsonb[], $11::jsonb[], $12::varchar[],
                            $13::uuid[], $14::char(64)[], $15::char(64)[])`,
      [
        col('seq'),
        col('at'),
        col('actorKind'),
        col('actorId'),
        col('actorName'),
        col('role'),
        col('action'),
        col('entity'),
        col('entityId'),
        rows.map((r) => (r.before === null ? null : JSON.stringify(r.before))),
        rows.map((r) => (r.after === null ? null : JSON.stringify(r.after))),
        col('correlationId'),
        col('incidentId'),
        col('prevHash'),
        col('hash'),
      ],
    );
    const last = rows[rows.length - 1]!;
    await m.query('update audit_head set seq = $1, hash = $2 where id = 1', [last.seq, last.hash]);
  }

  /** Rows after `afterSeq` in chain order, one batch (verify walks the chain with it). */
  async batchAfter(afterSeq: string, limit: number): Promise<StoredAuditRow[]> {
    return this.ds.query(`select ${COLUMNS} from audit_log where seq > $1 order by audit_log.seq limit $2`, [afterSeq, limit]);
  }

  async head(): Promise<{ seq: string; hash: string }> {
    const [head]: Array<{ seq: string; hash: string }> = await this.ds.query('select seq::text as seq, hash from audit_head where id = 1');
    return head!;
  }

  /** Auditors' query, newest first, keyset on seq. */
  async find(f: AuditFilter): Promise<StoredAuditRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replaceAll('?', `$${args.length}`));
    };
    if (f.incidentId) add('incident_id = ?', f.incidentId);
    if (f.actor) add('(actor_id = ? or actor_name = ?)', f.actor);
    if (f.entity) add('entity = ?', f.entity);
    if (f.entityId) add('entity_id = ?', f.entityId);
    if (f.from) add('at >= ?', f.from);
    if (f.to) add('at < ?', f.to);
    if (f.beforeSeq) add('seq < ?::bigint', f.beforeSeq);
    args.push(f.limit);
    return this.ds.query(
      `select ${COLUMNS} from audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by audit_log.seq desc limit $${args.length}`,
      args,
    );
  }
}
