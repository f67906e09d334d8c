import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError, assertInScope, CommonErrors, decodeCursor, encodeCursor, Page, Principal, UUID_PATTERN } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction } from '@fangxun/database';
import { RiskObjectRef, RiskObjectService } from '@fangxun/geo';
import { maskPhone } from '@fangxun/notify';
import { readContactFile } from './public-contact-file';
import type { ContactDto, ContactImportReportDto, ListContactsQuery } from './public-warning.dto';
import { contactNotFound, riskObjectNotFound } from './public-warning.errors';
import { PublicWarningRepository } from './public-warning.repository';

const MAX_LISTED_ERRORS = 1000;

/** Contact lists of risk objects: import from the village's spreadsheet, list (masked), remove one. */
@Injectable()
export class PublicContactService {
  constructor(
    private readonly repo: PublicWarningRepository,
    private readonly objects: RiskObjectService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /**
   * Good rows are upserted by (object, number) in one transaction; bad rows come back with their
   * line. The same file twice changes nothing (second report: all unchanged). A dry run does the
   * same work and rolls it back, so its counts are exactly what a real import would do.
   */
  async import(p: Principal, code: string, buf: Buffer, dryRun: boolean): Promise<ContactImportReportDto> {
    const object = await this.objectInScope(p, code);
    const file = await readContactFile(buf, this.config.publicWarnings.importMaxRows);
    const written = await inTransaction(this.ds, (m) => this.repo.upsertContacts(m, object.id, file.rows), { rollback: dryRun });
    return {
      dryRun,
      riskObjectCode: object.code,
      format: file.format,
      encoding: file.encoding,
      total: file.total,
      inserted: written.inserted,
      updated: written.updated,
      unchanged: file.rows.length - written.inserted - written.updated,
      rejected: file.total - file.rows.length,
      errors: file.errors.slice(0, MAX_LISTED_ERRORS),
      errorsOmitted: Math.max(0, file.errors.length - MAX_LISTED_ERRORS),
    };
  }

  async list(p: Principal, code: string, q: ListContactsQuery): Promise<Page<ContactDto>> {
    const object = await this.objectInScope(p, code);
    const limit = q.limit ?? this.config.publicWarnings.pageSizeDefault;
    const desc = q.order === 'desc';
    const sort = `name:${desc ? 'desc' : 'asc'}`;
    const after = q.cursor ? (decodeCursor(q.cursor, sort, 2) as [string, string]) : null;
    const rows = await this.repo.listContacts(object.id, limit + 1, desc, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        name: r.name,
        phone: maskPhone(r.phone),
        category: r.category,
        note: r.note,
        createdAt: new Date(r.createdAt).toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(sort, [last.name, last.id]) : null,
    };
  }

  async remove(p: Principal, code: string, contactId: string): Promise<void> {
    const object = await this.objectInScope(p, code);
    if (!UUID_PATTERN.test(contactId) || !(await this.repo.deleteContact(object.id, contactId))) throw contactNotFound(contactId);
  }

  private async objectInScope(p: Principal, code: string): Promise<RiskObjectRef> {
    if (!/^[0-9A-Za-z_-]{2,40}$/.test(code)) {
      throw new AppError(CommonErrors.Validation, 'code: not a risk object code', [
        { field: 'code', problem: '2-40 letters, digits, _ or -' },
      ]);
    }
    const [object] = await this.objects.refsByCodes([code]);
    if (!object) throw riskObjectNotFound(code);
    assertInScope(p, object.divisionPath, 'code');
    return object;
  }
}
