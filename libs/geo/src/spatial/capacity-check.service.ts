import { Injectable } from '@nestjs/common';
import type { Principal } from '@fangxun/common';
import { AreaResolver } from './area-resolver.service';
import { CapacityCheckRepository, CapacityFigures } from './capacity-check.repository';
import type { CapacityCheckDto, CapacityCheckQuery, CapacityFiguresDto } from './dto/capacity-check.dto';
import { toScopeDto } from './spatial.mapper';

/** ltree depth of each level below the city (the root, depth 1). */
const DEPTH = { town: 2, village: 3 } as const;

/** The pre-season check: does every town's / village's threatened population fit its shelters? */
@Injectable()
export class CapacityCheckService {
  constructor(
    private readonly areas: AreaResolver,
    private readonly repo: CapacityCheckRepository,
  ) {}

  async check(principal: Principal | undefined, q: CapacityCheckQuery): Promise<CapacityCheckDto> {
    const level = q.level ?? 'village';
    const scope = await this.areas.scopeUnder(principal, q.divisionCode);
    const [units, totals] = await Promise.all([this.repo.perUnit(level, DEPTH[level], scope.path), this.repo.totals(scope.path)]);
    const unitDtos = units.map((u) => ({ code: u.code, name: u.name, ...verdict(u) }));
    return {
      scope: toScopeDto(scope),
      level,
      units: unitDtos,
      totals: { ...verdict(totals), units: unitDtos.length, unitsShort: unitDtos.filter((u) => !u.fits).length },
    };
  }
}

function verdict(f: CapacityFigures): CapacityFiguresDto {
  const shortfall = Math.max(0, f.threatenedPeople - f.usableCapacity);
  return { ...f, fits: shortfall === 0, shortfall };
}
