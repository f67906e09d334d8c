import { Injectable } from '@nestjs/common';
import type { Principal } from '@fangxun/common';
import { DivisionService } from '@fangxun/registry';
import type { RiskObjectRef } from '../risk-objects/risk-object.types';
import { AreaResolver } from './area-resolver.service';
import type { AreaDto } from './dto/area.dto';
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

  /**
   * For other modules (public warning SMS over a warning's area): the risk objects meeting any
   * drawn polygon or lying under any named division (by registry path), limited to `withinPath`
   * (an ltree path) when given. No principal: the caller passes the scope it wants. The areas
   * are trusted (stored warnings), so they are not checked again; circles are not taken here.
   */
  /** Objects of a warning's ground as stored (`WarningService.areasOf`): named divisions' objects and those meeting the drawn ground. */
  async objectsInGround(areas: ReadonlyArray<{ divisionCodes: string[]; geojson: string | null }>, withinPath: string | null = null) {
    const polygons = areas.flatMap((a) => (a.geojson ? [a.geojson] : []));
    const codes = [...new Set(areas.flatMap((a) => a.divisionCodes))];
    if (!polygons.length && !codes.length) return [];
    return this.repo.objectsInAreas(polygons, codes, withinPath);
  }

  async objectsInAreas(
    areas: Array<Pick<AreaDto, 'polygon' | 'divisionCodes' | 'circle'>>,
    withinPath: string | null = null,
  ): Promise<RiskObjectRef[]> {
    if (areas.some((a) => a.circle)) throw new Error('objectsInAreas takes polygons and division codes, not circles');
    const polygons = areas.flatMap((a) => (a.polygon ? [JSON.stringify(a.polygon)] : []));
    const codes = [...new Set(areas.flatMap((a) => a.divisionCodes ?? []))];
    if (!polygons.length && !codes.length) return [];
    return this.repo.objectsInAreas(polygons, codes, withinPath);
  }
}
