import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, AuditService } from '@fangxun/audit';
import { AppError, CommonErrors, inScope, Principal } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, PG_CHECK_VIOLATION, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { readTable } from '@fangxun/platform';
import { DivisionService } from '../divisions/division.service';
import { HolderRepository } from '../holders/holder.repository';
import { holderAuditFields } from '../holders/holder-audit';
import { ParsedRow, parseHolderRow } from './holder-row.parser';
import { ImportReportDto } from './import.dto';
import { findHeader } from './import-columns';
import { fileError, tooManyRows } from './import-errors';
import { ImportPlan, planImport, PlanInput, PlannedWrite, Ref } from './import-plan';

/** The report lists this many errors; a file that is wrong throughout does not need more to be fixed. */
const MAX_REPORTED_ERRORS = 1000;

interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Bulk import of holders: file → rows → checks (the rules of single writes, plus the ones
 * that need the whole file) → one transaction. A dry run takes the same path and rolls back.
 */
@Injectable()
export class HolderImportService {
  private readonly logger = new Logger('holder-import');

  constructor(
    private readonly holders: HolderRepository,
    private readonly divisions: DivisionService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(principal: Principal, file: Buffer, dryRun: boolean): Promise<ImportReportDto> {
    const table = await readTable(file);
    const header = findHeader(table.rows);
    const data = table.rows.slice(header.index + 1);
    if (!data.length) throw fileError('no rows below the header');
    if (data.length > this.config.registry.importMaxRows) throw tooManyRows(data.length, this.config.registry.importMaxRows);

    const parsed = data.map((r) => parseHolderRow(r.line, r.cells, header.columns));
    const plan = planImport(await this.lookups(principal, parsed));
    const counts = await this.write(principal, plan, dryRun);
    const report: ImportReportDto = {
      dryRun,
      format: table.format,
      encoding: table.encoding,
      total: plan.total,
      ...counts,
      rejected: plan.rejected,
      errors: plan.errors.slice(0, MAX_REPORTED_ERRORS),
      errorsOmitted: Math.max(0, plan.errors.length - MAX_REPORTED_ERRORS),
    };
    const by = principal.kind === 'user' ? principal.username : principal.name;
    this.logger.log(
      { by, dryRun, format: table.format, encoding: table.encoding, total: plan.total, ...counts, rejected: plan.rejected },
      'holder import',
    );
    return report;
  }

  /** Everything the checks need from the database, in three queries whatever the file's size. */
  private async lookups(principal: Principal, rows: ParsedRow[]): Promise<PlanInput> {
    const codes = new Set<string>();
    const mobiles = new Set<string>();
    for (const r of rows) {
      if (r.key) {
        codes.add(r.key.divisionCode);
        mobiles.add(r.key.mobile);
      }
      if (r.candidate?.superiorMobile) mobiles.add(r.candidate.superiorMobile);
      if (r.candidate?.backupMobile) mobiles.add(r.candidate.backupMobile);
    }
    const [divisions, holders] = await Promise.all([this.divisions.findRefsByCodes([...codes]), this.holders.findByMobiles([...mobiles])]);
    const edges = await this.holders.superiorEdgesAbove(holders.map((h) => h.id));
    return {
      rows,
      divisions,
      holders,
      storedSuperiors: new Map(edges.map((e) => [e.id, e.superiorId])),
      inScope: (path) => inScope(principal, path),
    };
  }

  /** All accepted rows in one transaction, committed, or rolled back for a dry run. */
  private async write(principal: Principal, plan: ImportPlan, dryRun: boolean): Promise<WriteCounts> {
    if (plan.writes.every((w) => w.action === 'unchanged')) return { inserted: 0, updated: 0, unchanged: plan.writes.length };
    try {
      return await inTransaction(this.ds, (m) => this.apply(principal, plan.writes, m), { rollback: dryRun });
    } catch (err) {
      throw conflictOr(err);
    }
  }

  /**
   * Upserts in plan order (superiors first, so each new superior has an id before its
   * subordinates are written); a backup that is a later new row is set once all rows exist.
   */
  private async apply(principal: Principal, writes: PlannedWrite[], m: EntityManager): Promise<WriteCounts> {
    const ids = new Map<number, string>();
    const idOf = (r: Ref | null) => (r === null ? null : 'id' in r ? r.id : (ids.get(r.line) ?? null));
    const backupsLater: Array<{ id: string; line: number }> = [];
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const audited = new Map<string, AuditEntry>();
    for (const w of writes) {
      if (w.action === 'unchanged') {
        counts.unchanged++;
        continue;
      }
      const superiorId = idOf(w.superior);
      if (w.superior && !superiorId) throw new Error(`import plan out of order: line ${w.line} before its superior`);
      const backupId = idOf(w.backup);
      const { id, inserted } = await this.holders.upsert({ ...w.holder, superiorId, backupId }, m);
      ids.set(w.line, id);
      audited.set(id, {
        actor: principal,
        action: inserted ? 'holder.import_create' : 'holder.import_update',
        entity: 'holder',
        entityId: id,
        before: w.existing ? holderAuditFields(w.existing) : null,
        after: holderAuditFields({ ...w.holder, superiorId, backupId, divisionCode: w.divisionCode }),
      });
      if (w.backup && 'line' in w.backup && !backupId) backupsLater.push({ id, line: w.backup.line });
      counts[inserted ? 'inserted' : 'updated']++;
    }
    for (const b of backupsLater) {
      await this.holders.setBackup(b.id, ids.get(b.line)!, m);
      audited.get(b.id)!.after!.backupId = ids.get(b.line)!;
    }
    // One audit row per holder the file created or changed (so each holder's history shows the
    // import), written by one INSERT at the end of the import's transaction.
    await this.audit.appendMany(m, [...audited.values()]);
    return counts;
  }
}

/** The checks ran on what was stored a moment ago; if someone changed it meanwhile, nothing is written. */
function conflictOr(err: unknown): unknown {
  const pg = pgError(err);
  const raced =
    pg &&
    (pg.code === PG_UNIQUE_VIOLATION ||
      pg.code === PG_FOREIGN_KEY_VIOLATION ||
      (pg.code === PG_CHECK_VIOLATION && pg.constraint === 'holders_superior_acyclic'));
  if (!raced) return err;
  return new AppError(
    CommonErrors.Conflict,
    'the registry changed while the file was being imported; nothing was written: import it again',
    [{ field: 'file', problem: 'holders changed meanwhile; nothing was written' }],
  );
}
