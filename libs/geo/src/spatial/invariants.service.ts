import { Injectable } from '@nestjs/common';
import { Principal } from '@fangxun/common';
import { HolderService } from '@fangxun/registry';
import { AreaResolver } from './area-resolver.service';
import type { InvariantItemDto, InvariantListDto, InvariantsDto, InvariantsQuery } from './dto/invariants.dto';
import { InvariantObjectRow, InvariantsRepository } from './invariants.repository';
import { toScopeDto } from './spatial.mapper';

type HolderState = { name: string; active: boolean } | undefined;

/**
 * The registry-invariants report: gaps that would leave a warning unanswered or people with
 * nowhere to go. A risk object threatening nobody needs no shelter (a seawall section with no
 * one behind it), so only objects with threatened people are checked for one.
 */
@Injectable()
export class InvariantsService {
  constructor(
    private readonly areas: AreaResolver,
    private readonly holders: HolderService,
    private readonly repo: InvariantsRepository,
  ) {}

  async report(principal: Principal | undefined, q: InvariantsQuery): Promise<InvariantsDto> {
    const scope = await this.areas.scopeUnder(principal, q.divisionCode);
    const [objects, shelters] = await Promise.all([this.repo.objects(scope.path), this.repo.shelters(scope.path)]);
    const ids = [...objects.flatMap((o) => [o.primaryHolderId, o.backupHolderId]), ...shelters.map((s) => s.managerHolderId)];
    const rows = await this.holders.findRows([...new Set(ids.filter((id): id is string => !!id))]);
    const holders = new Map(rows.map((h) => [h.id, { name: h.name, active: h.active }]));
    const state = (id: string | null): HolderState => (id ? holders.get(id) : undefined);
    const limit = q.limit ?? 200;
    const list = (items: InvariantItemDto[]): InvariantListDto => ({ count: items.length, items: items.slice(0, limit) });
    const item = (o: InvariantObjectRow, problem: string): InvariantItemDto => ({
      code: o.code,
      name: o.name,
      type: o.type,
      divisionCode: o.divisionCode,
      problem,
    });

    return {
      scope: toScopeDto(scope),
      noReachableHolder: list(objects.flatMap((o) => unreachable(o, state).map((p) => item(o, p)))),
      noBackup: list(
        objects.flatMap((o) => {
          const b = state(o.backupHolderId);
          if (!o.backupHolderId) return [item(o, 'no backup holder')];
          return b?.active ? [] : [item(o, `backup holder ${b?.name ?? o.backupHolderId} is inactive`)];
        }),
      ),
      shelterWithoutManager: list(
        shelters.flatMap((s) => {
          const m = state(s.managerHolderId);
          const base = { code: s.code, name: s.name, divisionCode: s.divisionCode };
          if (!s.managerHolderId) return [{ ...base, problem: 'no manager' }];
          return m?.active ? [] : [{ ...base, problem: `manager ${m?.name ?? s.managerHolderId} is inactive` }];
        }),
      ),
      flashFloodWithoutIndicators: list(
        objects
          .filter((o) => o.type === 'flash_flood_zone' && !o.hasIndicators)
          .map((o) => item(o, 'no 准备转移/立即转移 rainfall indicators')),
      ),
      noAssignedShelter: list(
        objects
          .filter((o) => o.threatenedPeople > 0 && !o.hasShelter)
          .map((o) => item(o, `${o.threatenedPeople} threatened people and no assigned shelter`)),
      ),
    };
  }
}

/** Nobody to call: no active primary and no active backup. One problem text, or none. */
function unreachable(o: InvariantObjectRow, state: (id: string | null) => HolderState): string[] {
  const p = state(o.primaryHolderId);
  const b = state(o.backupHolderId);
  if (p?.active || b?.active) return [];
  const primary = o.primaryHolderId ? `primary holder ${p?.name ?? o.primaryHolderId} is inactive` : 'no primary holder';
  const backup = o.backupHolderId ? `backup holder ${b?.name ?? o.backupHolderId} is inactive` : 'no backup';
  return [`${primary} and ${backup}`];
}
