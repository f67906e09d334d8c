import { Inject, Injectable } from '@nestjs/common';
import { AppError, CommonErrors, decodeCursor, encodeCursor, Page } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { AUDIT_SORT, AuditQueryDto, AuditRowDto } from './audit.dto';
import { AuditErrors } from './audit.errors';
import { AuditRepository, StoredAuditRow } from './audit.repository';

/** Auditors' reads: by incident, actor, entity and id, and time; keyset pages newest first. */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly repo: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async find(q: AuditQueryDto): Promise<Page<AuditRowDto>> {
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from > to) {
      throw new AppError(AuditErrors.BadTimeRange, 'from is after to', [{ field: 'from', problem: 'must not be after `to`' }]);
    }
    const limit = Math.min(q.limit ?? this.config.audit.pageSizeDefault, this.config.audit.pageSizeMax);
    const beforeSeq = q.cursor ? String(decodeCursor(q.cursor, AUDIT_SORT, 1)[0]) : undefined;
    if (beforeSeq !== undefined && !/^\d{1,19}$/.test(beforeSeq)) {
      throw new AppError(CommonErrors.InvalidCursor, 'invalid cursor: malformed values', [
        { field: 'cursor', problem: 'malformed values' },
      ]);
    }
    const rows = await this.repo.find({ ...q, from, to, beforeSeq, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toAuditRowDto), nextCursor: rows.length > limit && last ? encodeCursor(AUDIT_SORT, [last.seq]) : null };
  }
}

export function toAuditRowDto(r: StoredAuditRow): AuditRowDto {
  return {
    seq: r.seq,
    at: r.at,
    actor: { kind: r.actorKind as AuditRowDto['actor']['kind'], id: r.actorId, name: r.actorName },
    role: r.role,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    before: r.before as Record<string, unknown> | null,
    after: r.after as Record<string, unknown> | null,
    correlationId: r.correlationId,
    incidentId: r.incidentId,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
