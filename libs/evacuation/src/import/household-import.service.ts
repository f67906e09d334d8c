import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { AppError, CommonErrors, inScope, Principal } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, PG_FOREIGN_KEY_VIOLATION, pgError } from '@fangxun/database';
import { RiskObjectService, ShelterService } from '@fangxun/geo';
import { readTable } from '@fangxun/platform';
import { DivisionService, HolderService } from '@fangxun/registry';
import { householdAuditFields } from '../evacuation-audit';
import { HouseholdRepository } from '../households/household.repository';
import type { HouseholdRow, HouseholdWrite } from '../households/household.types';
import { sameHousehold } from '../households/household-compare';
import { fileProblem, findHouseholdHeader } from './household-columns';
import type { HouseholdImportReportDto } from './household-import.dto';
import { HouseholdRowError, ParsedHousehold, parseHouseholdRow } from './household-row.parser';

const MAX_REPORTED_ERRORS = 1000;

/**
 * Bulk import of households (一户一策), like the registry's holder import and with its reader
 * (CSV in UTF-8/GBK/UTF-16, or XLSX): each row checked alone, then against the file (a code
 * twice) and the database (risk object, holder by mobile, shelter, the caller's area); good rows
 * upserted by household code in one transaction, bad rows reported by line and field. A row
 * equal to what is stored is not written, so the same file twice changes nothing. A dry run
 * takes the same path and rolls back.
 */
@Injectable()
export class HouseholdImportService {
  private readonly log = new Logger('household-import');

  constructor(
    private readonly households: HouseholdRepository,
    private readonly riskObjects: RiskObjectService,
    private readonly shelters: ShelterService,
    private readonly holders: HolderService,
    private readonly divisions: DivisionService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(principal: Principal, file: Buffer, dryRun: boolean): Promise<HouseholdImportReportDto> {
    const table = await readTable(file);
    const header = findHouseholdHeader(table.rows);
    const data = table.rows.slice(header.index + 1);
    if (!data.length) throw fileProblem('no rows below the header');
    const max = this.config.evacuation.importMaxRows;
    if (data.length > max) {
      const problem = `${data.length} rows; one import takes at most ${max}: split the file`;
      throw new AppError(CommonErrors.PayloadTooLarge, `file: ${problem}`, [{ field: 'file', problem }]);
    }
    const parsed = data.map((r) => parseHouseholdRow(r.line, r.cells, header.columns));
    markDuplicates(parsed);
    const { writes, errors } = await this.resolve(principal, parsed);
    const stored = new Map((await this.households.findByCodes(writes.map((w) => w.code))).map((r) => [r.code, r]));
    const changed = writes.filter((w) => !sameHousehold(w, stored.get(w.code)));
    const counts = await this.write(principal, changed, stored, dryRun);
    const by = principal.kind === 'user' ? principal.username : principal.name;
    this.log.log({ by, dryRun, total: data.length, ...counts, rejected: data.length - writes.length }, 'household import');
    return {
      dryRun,
      format: table.format,
      encoding: table.encoding,
      total: data.length,
      ...counts,
      unchanged: writes.length - changed.length,
      rejected: data.length - writes.length,
      errors: errors.sort((a, b) => a.line - b.line).slice(0, MAX_REPORTED_ERRORS),
    };
  }

  /** References resolved in four queries whatever the file's size; rows outside the caller's area refused. */
  private async resolve(principal: Principal, rows: ParsedHousehold[]): Promise<{ writes: HouseholdWrite[]; errors: HouseholdRowError[] }> {
    const ok = rows.flatMap((r) => (r.candidate ? [r.candidate] : []));
    const phones = ok.flatMap((c) => [...(c.responsibleMobile ? [c.responsibleMobile] : []), ...c.vulnerable.map((v) => v.helperPhone)]);
    const [objects, shelters, holders] = await Promise.all([
      this.riskObjects.refsByCodes(ok.map((c) => c.riskObjectCode)),
      this.shelters.refs({ codes: ok.flatMap((c) => (c.shelterCode ? [c.shelterCode] : [])) }),
      this.holders.findByMobiles(phones),
    ]);
    const divisions = await this.divisions.findRefsByCodes([...new Set(objects.map((o) => o.divisionPath.split('.').pop()!))]);
    const objectByCode = new Map(objects.map((o) => [o.code, o]));
    const shelterByCode = new Map(shelters.map((s) => [s.code, s]));
    const holderByMobile = new Map(holders.filter((h) => h.active).map((h) => [h.mobile, h]));
    const errors = rows.flatMap((r) => r.errors);
    const writes: HouseholdWrite[] = [];
    for (const r of rows) {
      const c = r.candidate;
      if (!c) continue;
      const bad: HouseholdRowError[] = [];
      const object = objectByCode.get(c.riskObjectCode);
      const division = object && divisions.get(object.divisionPath.split('.').pop()!);
      if (!object || !division)
        bad.push({ line: r.line, field: 'riskObjectCode', value: c.riskObjectCode, problem: 'no such risk object' });
      else if (!inScope(principal, object.divisionPath)) {
        bad.push({ line: r.line, field: 'riskObjectCode', value: c.riskObjectCode, problem: 'outside the area you are responsible for' });
      }
      const holder = c.responsibleMobile ? holderByMobile.get(c.responsibleMobile) : undefined;
      if (c.responsibleMobile && !holder) {
        bad.push({
          line: r.line,
          field: 'responsibleMobile',
          value: c.responsibleMobile,
          problem: 'no active responsibility holder has this mobile',
        });
      }
      const shelter = c.shelterCode ? shelterByCode.get(c.shelterCode) : undefined;
      if (c.shelterCode && !shelter) bad.push({ line: r.line, field: 'shelterCode', value: c.shelterCode, problem: 'no such shelter' });
      if (bad.length || !object || !division) {
        errors.push(...bad);
        continue;
      }
      writes.push({
        code: c.code,
        riskObjectId: object.id,
        divisionId: division.id,
        headName: c.headName,
        headPhone: c.headPhone,
        members: c.members,
        responsibleHolderId: holder?.id ?? null,
        shelterId: shelter?.id ?? null,
        routeNote: c.routeNote,
        address: c.address,
        vulnerable: c.vulnerable.map((v) => ({ ...v, helperHolderId: holderByMobile.get(v.helperPhone)?.id ?? null })),
      });
    }
    return { writes, errors };
  }

  private async write(
    principal: Principal,
    writes: HouseholdWrite[],
    stored: Map<string, HouseholdRow>,
    dryRun: boolean,
  ): Promise<{ inserted: number; updated: number }> {
    if (!writes.length) return { inserted: 0, updated: 0 };
    try {
      return await inTransaction(
        this.ds,
        async (m) => {
          const counts = await this.households.upsertMany(writes, m);
          // One audit row per household the file created or changed, by one INSERT, last in the transaction.
          await this.audit.appendMany(
            m,
            writes.map((w) => {
              const before = stored.get(w.code);
              return {
                actor: principal,
                action: before ? 'household.update' : 'household.create',
                entity: 'household',
                entityId: w.code,
                before: before ? householdAuditFields(before) : null,
                after: householdAuditFields(w),
              };
            }),
          );
          return counts;
        },
        { rollback: dryRun },
      );
    } catch (err) {
      // A risk object, holder or shelter removed between the checks and the write: nothing is written.
      if (pgError(err)?.code === PG_FOREIGN_KEY_VIOLATION) {
        throw new AppError(CommonErrors.Conflict, 'the register changed while the file was being imported; nothing was written', [
          { field: 'file', problem: 'a risk object, holder or shelter changed meanwhile; import it again' },
        ]);
      }
      throw err;
    }
  }
}

/** A household code twice in one file: the later rows are refused, naming the first. */
function markDuplicates(rows: ParsedHousehold[]): void {
  const first = new Map<string, number>();
  for (const r of rows) {
    if (!r.code) continue;
    const seen = first.get(r.code);
    if (seen === undefined) first.set(r.code, r.line);
    else {
      r.errors.push({ line: r.line, field: 'code', value: r.code, problem: `duplicate of line ${seen}` });
      r.candidate = undefined;
    }
  }
}
