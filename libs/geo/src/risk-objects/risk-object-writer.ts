import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditActor, AuditEntry, AuditService, sameFieldsAs } from '@fangxun/audit';
import { AppError, CommonErrors } from '@fangxun/common';
import { inTransaction, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { GeoErrors } from '../geo.errors';
import { RiskObjectDetailsRepository } from './risk-object-details.repository';
import { listsChanged } from './risk-object-diff';
import type { Plan } from './risk-object-planner';

/**
 * Stores planned entries all together or not at all: base rows in one batch, then the lists of
 * the objects whose lists changed. Entries that change nothing are not written (re-importing a
 * file leaves updated_at alone). A dry run takes the same path and rolls back, so it also
 * meets the database's own checks.
 */
@Injectable()
export class RiskObjectWriter {
  constructor(
    private readonly details: RiskObjectDetailsRepository,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** `insert` refuses codes already taken (409); `update` upserts by code. Returns ids by code. */
  async write(actor: AuditActor, plans: Plan[], mode: 'insert' | 'update', dryRun = false): Promise<Map<string, string>> {
    const due = plans.filter((p) => p.changes.length);
    const ids = new Map<string, string>(plans.filter((p) => p.existing).map((p) => [p.code, p.existing!.id]));
    if (!due.length) return ids;
    try {
      return await inTransaction(
        this.ds,
        async (m) => {
          const rows = await this.details.upsert(
            due.map((p) => p.write),
            mode,
            m,
          );
          for (const r of rows) ids.set(r.code, r.id);
          const lists = due.filter((p) => !p.existing || listsChanged(p.changes));
          await this.details.replaceLists(
            lists.map((p) => ({ id: ids.get(p.code)!, write: p.write })),
            m,
          );
          await this.audit.appendMany(
            m,
            due.map((p) => auditEntry(actor, p)),
          );
          return ids;
        },
        { rollback: dryRun },
      );
    } catch (err) {
      throw translate(err, due);
    }
  }
}

/** The changed fields (top level; a geometry is recorded as replaced, not vertex by vertex). */
function auditEntry(actor: AuditActor, p: Plan): AuditEntry {
  const props = p.props as unknown as Record<string, unknown>;
  const keys = [...new Set(p.changes.filter((c) => c !== 'created').map((c) => c.split('.')[0]!))];
  const after: Record<string, unknown> = p.existing
    ? Object.fromEntries(keys.map((k) => [k, k === 'geometry' ? 'replaced' : (props[k] ?? null)]))
    : { ...props, geometry: 'drawn' };
  return {
    actor,
    action: p.existing ? 'risk_object.update' : 'risk_object.create',
    entity: 'risk_object',
    entityId: p.code,
    before: p.existing ? { ...sameFieldsAs(p.existing, after), ...(keys.includes('geometry') && { geometry: 'previous' }) } : null,
    after,
  };
}

/** The plan was checked against data read a moment before; a change in between lands here. */
function translate(err: unknown, plans: Plan[]): unknown {
  const pg = pgError(err);
  if (!pg) return err;
  if (pg.code === PG_UNIQUE_VIOLATION && pg.constraint === 'risk_objects_code_key') {
    const code = /\(code\)=\(([^)]*)\)/.exec(pg.detail ?? '')?.[1] ?? plans[0]?.code;
    return new AppError(GeoErrors.RiskCodeTaken, `risk object code ${code} is already used`, [{ field: 'code', problem: 'already used' }]);
  }
  // Check violations are not translated: the rules above mirror every check, so one is a bug.
  if (pg.code === PG_FOREIGN_KEY_VIOLATION) {
    return new AppError(CommonErrors.Conflict, 'holders, shelters or divisions changed while this was being saved; nothing was written', [
      { field: pg.constraint ?? '(body)', problem: 'changed meanwhile; send it again' },
    ]);
  }
  return err;
}
