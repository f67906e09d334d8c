import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, COMMAND_TIERS } from '@fangxun/config';
import { StepRepository } from '../steps/step.repository';
import { GroupRepository, NewGroup } from './group.repository';

/** The lead of each tier (the "1" of "1+6" and "1+8") is a group of its own, named as the tier. */
export const leadCode = (tier: string): string => `${tier}_lead`;

/**
 * What every response has from its start: the standard command steps (config
 * `response.steps`, in order) and the groups of the three tiers — each tier's lead plus its
 * configured groups (emergency HQ "1+6", on-site HQ "1+8"; the special HQ gets its groups from
 * the plans activated). Idempotent: a second call adds nothing.
 */
@Injectable()
export class CommandStructure {
  constructor(
    private readonly steps: StepRepository,
    private readonly groups: GroupRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async instantiate(m: EntityManager, incidentId: string): Promise<{ steps: number; groups: number }> {
    const tiers = this.config.response.tiers;
    const groups: NewGroup[] = COMMAND_TIERS.flatMap((tier) => [
      { tier, code: leadCode(tier), name: tiers[tier].name, isLead: true, planCode: null },
      ...tiers[tier].groups.map((g) => ({ tier, code: g.code, name: g.name, isLead: false, planCode: null })),
    ]);
    return {
      groups: await this.groups.addMissing(m, incidentId, groups),
      steps: await this.steps.addMissing(
        m,
        incidentId,
        this.config.response.steps.map((s) => ({ ...s, planCode: null })),
      ),
    };
  }
}
