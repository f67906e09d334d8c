import type { SheetChainDto } from './sheet.dto';
import type { ChainRow, SheetRow } from './sheet.repository';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function toChainDto(c: ChainRow, sheets: SheetRow[]): SheetChainDto {
  return {
    id: c.id,
    incidentId: c.incidentId,
    title: c.title,
    state: c.state,
    overdue: !!c.overdueAt,
    riskObjectCodes: c.riskObjectCodes,
    townCodes: c.townCodes,
    orderId: c.orderId,
    dueAt: iso(c.dueAt),
    overdueAt: iso(c.overdueAt),
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: iso(c.closedAt),
    closeNote: c.closeNote,
    sheets: sheets.map((s) => ({
      id: s.id,
      kind: s.kind,
      authorGroup: s.authorGroup,
      content: s.content,
      townCode: s.townCode,
      createdBy: s.createdBy,
      createdAt: s.createdAt.toISOString(),
    })),
  };
}
