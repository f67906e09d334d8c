import type { CampaignDto } from './campaign.dto';
import type { CampaignRow } from './campaign.repository';

export function toCampaignDto(c: CampaignRow): CampaignDto {
  return {
    id: c.id,
    source: c.source,
    warningId: c.warningId,
    warningKind: c.warningKind,
    level: c.level,
    ruleName: c.ruleName,
    title: c.title,
    message: c.message,
    drill: c.drill,
    state: c.state,
    area: c.area,
    unreachable: c.unreachable,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    closeReason: c.closeReason,
  };
}
