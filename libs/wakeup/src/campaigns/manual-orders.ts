import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, inScope, Principal, validationError } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { WakeupErrors } from '../wakeup.errors';
import type { StartedCampaign } from '../wakeup.types';
import type { StartCampaignDto } from './campaign.dto';
import { CampaignService } from './campaign.service';
import { RecipientFinder } from './recipient-finder';

/** A duty officer's (or a town's) order to wake people now, inside the caller's area. */
@Injectable()
export class ManualOrders {
  constructor(
    private readonly finder: RecipientFinder,
    private readonly campaigns: CampaignService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(principal: Principal, dto: StartCampaignDto): Promise<StartedCampaign> {
    if (!!dto.area === !!dto.holderIds) throw validationError(dto.area ? 'holderIds' : 'area', 'give exactly one of area or holderIds');
    if (dto.holderIds && dto.include) throw validationError('include', 'only with area: a named list is called as named');
    const found = dto.area
      ? await this.finder.forAreas([dto.area], dto.include ?? this.config.wakeup.manualInclude, principal)
      : await this.finder.named([...new Set(dto.holderIds)], principal, (path) => inScope(principal, path));
    if (!found.recipients.length) {
      throw new AppError(WakeupErrors.NoRecipients, 'nobody to call: no active responsibility holder matches', [
        { field: dto.area ? 'area' : 'holderIds', problem: 'names no active responsibility holder' },
      ]);
    }
    const who = principal.kind === 'user' ? principal.username : `key:${principal.name}`;
    return this.campaigns.start({
      source: 'manual',
      sourceKey: `manual:${who}:${dto.requestKey ?? randomUUID()}`,
      warningKind: dto.warningKind ?? 'other',
      level: dto.level,
      title: dto.title,
      message: dto.message,
      drill: dto.drill ?? false,
      createdBy: who.slice(0, 100),
      recipients: found.recipients,
      unreachable: found.unreachable,
      ruleName: null,
      area: dto.area ? { ...dto.area } : { holderIds: dto.holderIds },
      actor: principal,
    });
  }
}
