import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@fangxun/common';
import { inTransaction } from '@fangxun/database';
import { AuditRepository, StoredAuditRow } from './audit.repository';
import { actorColumns, AuditActor } from './audit-actor';
import { changedFields, Fields } from './audit-diff';
import { HashedRow, isoMicros, rowHash } from './audit-hash';
import { Correlation } from './correlation';

/** One state change to record. */
export interface AuditEntry {
  actor: AuditActor;
  /** Verb in `entity.verb` form, e.g. `holder.update`, `api_key.revoke`, `wakeup_campaign.start`. */
  action: string;
  entity: string;
  entityId: string;
  /** The entity before and after; only the fields that differ are stored, phones masked. */
  before?: Fields | null;
  after?: Fields | null;
  /** The response incident this change belongs to (issue 9's response module), if any. */
  incidentId?: string | null;
}

/**
 * Appends to the hash-chained audit log inside the caller's transaction: the audit row commits
 * or rolls back with the change it records. Call it as the LAST write of the transaction where
 * possible: it locks the chain's head (one row) until commit, so every auditing transaction in
 * the city queues behind it for that long, and a transaction holding the head must not then wait
 * for row locks another auditing transaction holds (that would deadlock; PostgreSQL would abort one).
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /**
   * For a change that had no transaction of its own: runs `change` in one and records what
   * `entries` makes of its result in the same transaction (null or [] records nothing).
   */
  async changed<T>(change: (m: EntityManager) => Promise<T>, entries: (result: T) => AuditEntry | AuditEntry[] | null): Promise<T> {
    return inTransaction(this.ds, async (m) => {
      const result = await change(m);
      const made = entries(result);
      if (made) await this.appendMany(m, Array.isArray(made) ? made : [made]);
      return result;
    });
  }

  /** Records one change. `m` must be inside a transaction (inTransaction's manager). */
  append(m: EntityManager, entry: AuditEntry): Promise<void> {
    return this.appendMany(m, [entry]);
  }

  /**
   * Records several changes with one INSERT (imports: one row per changed entity, batched).
   * An update whose fields did not change is skipped; nothing to record is not an error.
   */
  async appendMany(m: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (!m.queryRunner?.isTransactionActive) throw new Error('AuditService needs the manager of an open transaction');
    const prepared = entries
      .map((e) => ({ e, diff: changedFields(e.before, e.after) }))
      .filter(({ e, diff }) => !(e.before && e.after && diff.after === null));
    if (!prepared.length) return;
    const correlationId = Correlation.current();
    const head = await this.repo.lockHead(m);
    // Read the clock under the lock, so `at` never goes backwards along the chain.
    const at = isoMicros(this.clock.now());
    let seq = BigInt(head.seq);
    let prevHash = head.hash;
    const rows: StoredAuditRow[] = prepared.map(({ e, diff }) => {
      seq += 1n;
      const fields: HashedRow = {
        seq: seq.toString(),
        at,
        ...actorColumns(e.actor),
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        before: diff.before,
        after: diff.after,
        correlationId,
        incidentId: e.incidentId ?? null,
        prevHash,
      };
      prevHash = rowHash(fields);
      return { ...fields, hash: prevHash };
    });
    await this.repo.insert(m, rows);
  }
}
