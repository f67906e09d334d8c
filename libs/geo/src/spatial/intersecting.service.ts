import { Injectable } from '@nestjs/common';
import type { Principal } from '@fangxun/common';
import { DivisionService } from '@fangxun/registry';
import { AreaResolver } from './area-resolver.service';
import type { IntersectingRequestDto, IntersectingResultDto } from './dto/intersecting.dto';
import { toAreaSummary, toIntersectingDivisionDto, toIntersectingObjectDto, toScopeDto } from './spatial.mapper';
import { SpatialRepository } from './spatial.repository';

/** Risk objects and divisions meeting an area, each with how it relates to it. */
@Injectable()
export class IntersectingService {
  constructor(
    private readonly areas: AreaResolver,
    private readonly repo: SpatialRepository,
    private readonly divisions: DivisionService,
  ) {}

  async find(principal: Principal, req: IntersectingRequestDto): Promise<IntersectingResultDto> {
    const area = await this.areas.resolve(req, principal);
    const withBoundary = req.withBoundaries ?? true;
    const [objects, divisions] = await Promise.all([
      this.repo.intersectingObjects(area.query, area.scope.path, req.types),
      this.divisions.intersecting(area.query, {
        levels: req.levels ?? ['town', 'village', 'grid'],
        withinPath: area.scope.path,
        withBoundary,
      }),
    ]);
    return {
      area: toAreaSummary(area),
      scope: toScopeDto(area.scope),
      riskObjects: objects.map(toIntersectingObjectDto),
      divisions: divisions.map((d) => toIntersectingDivisionDto(d, withBoundary)),
    };
  }
}
