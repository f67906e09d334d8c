import { Injectable } from '@nestjs/common';
import type { Principal } from '@fangxun/common';
import type { DivisionRef } from '@fangxun/registry';
import { DivisionService, HolderService } from '@fangxun/registry';
import { AreaResolver } from './area-resolver.service';
import type { AreaDto } from './dto/area.dto';
import type { WhoMustAnswerDto } from './dto/who-must-answer.dto';
import { toAreaSummary, toPersonDto, toScopeDto, toUnreachableDto } from './spatial.mapper';
import { assemblePeople, Reason, TouchedDivision } from './who-must-answer.people';
import { WhoMustAnswerRepository } from './who-must-answer.repository';

/**
 * A place a warning covers, as stored (already valid, so not checked again): the divisions its
 * geocodes named (ltree paths) and the drawn ground that counts beside them (GeoJSON, or null).
 */
export interface GroundArea {
  divisionPaths: string[];
  geojson: string | null;
}

/** A person who must answer for a warning's ground, with the division path the board groups by. */
export interface GroundPerson {
  holderId: string;
  name: string;
  role: string;
  divisionCode: string;
  divisionPath: string;
  mobile: string;
  reasons: Reason[];
}

export interface GroundAnswer {
  people: GroundPerson[];
  /** Inactive holders who would otherwise be included. */
  unreachable: GroundPerson[];
}

/**
 * "Who must answer for this area": the holders of every risk object the area touches, the
 * grid holders where those objects lie, the administrative holders of the villages and towns
 * it covers, and the 包保 chain above them all, each person once with every reason.
 *
 * Four statements: area (only for divisionCodes or a scoped caller), objects with their grids
 * and the touched divisions side by side, then holders with their chains (one recursive query).
 * Touching counts for risk objects (a zone on the edge of a warned area is warned), not for
 * divisions: every neighbour of a town touches it. The chain climbs out of the caller's scope
 * on purpose: a town's answer names the city leader above it.
 */
@Injectable()
export class WhoMustAnswerService {
  constructor(
    private readonly areas: AreaResolver,
    private readonly repo: WhoMustAnswerRepository,
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
  ) {}

  /**
   * Everyone who must answer for all of a warning's areas at once (city-wide, no caller): the
   * named divisions by the tree (their ground is the issuer's word), the drawn ground by
   * geometry. Three statements whatever the number of areas: objects, divisions, holders with
   * their chains.
   */
  async forAreas(areas: readonly GroundArea[]): Promise<GroundAnswer> {
    const paths = [...new Set(areas.flatMap((a) => a.divisionPaths))];
    const geojsons = areas.flatMap((a) => (a.geojson ? [a.geojson] : []));
    if (!paths.length && !geojsons.length) return { people: [], unreachable: [] };
    const [objects, touched, grids] = await Promise.all([
      this.repo.groundObjects(paths, geojsons),
      this.divisions.underPathsOrIntersecting(paths, geojsons, ['town', 'village']),
      this.namedGrids(paths.map((p) => p.slice(p.lastIndexOf('.') + 1))),
    ]);
    const divisions = [...touched, ...grids.filter((g) => paths.includes(g.path))];
    const holderIds = objects.flatMap((o) => [o.primaryHolderId, o.backupHolderId]).filter((id): id is string => !!id);
    const divisionIds = [
      ...divisions.map((d) => d.id),
      ...objects.flatMap((o) => [o.village?.id, o.town?.id, ...o.grids.map((g) => g.id)]).filter((id): id is string => !!id),
    ];
    const people = assemblePeople(objects, divisions, await this.holders.withSuperiorChains({ holderIds, divisionIds }));
    const out = people.map(({ holder: h, reasons }) => ({
      holderId: h.id,
      name: h.name,
      role: h.role,
      divisionCode: h.divisionCode,
      divisionPath: h.divisionPath,
      mobile: h.mobile,
      reasons,
      active: h.active,
    }));
    return {
      people: out.filter((p) => p.active).map(({ active: _a, ...p }) => p),
      unreachable: out.filter((p) => !p.active).map(({ active: _a, ...p }) => p),
    };
  }

  /** Without a principal (a warning's wake-up) the whole city is in scope. */
  async resolve(spec: AreaDto | object, principal?: Principal): Promise<WhoMustAnswerDto> {
    const area = await this.areas.resolve(spec, principal);
    const [objects, hits, grids] = await Promise.all([
      this.repo.touchedObjects(area.query, area.scope.path),
      this.divisions.intersecting(area.query, { levels: ['town', 'village'], withinPath: area.scope.path }),
      this.namedGrids(area.divisionCodes ?? []),
    ]);
    const divisions: Array<TouchedDivision & { relation: string }> = [
      ...hits.filter((d) => d.relation !== 'touching'),
      ...grids.map((g) => ({ ...g, relation: 'inside' })),
    ];
    const holderIds = objects.flatMap((o) => [o.primaryHolderId, o.backupHolderId]).filter((id): id is string => !!id);
    const divisionIds = [
      ...divisions.map((d) => d.id),
      ...objects.flatMap((o) => [o.village?.id, o.town?.id, ...o.grids.map((g) => g.id)]).filter((id): id is string => !!id),
    ];
    const rows = await this.holders.withSuperiorChains({ holderIds, divisionIds });
    const people = assemblePeople(objects, divisions, rows);
    return {
      area: toAreaSummary(area),
      scope: toScopeDto(area.scope),
      riskObjects: objects.map((o) => ({ code: o.code, name: o.name, type: o.type, divisionCode: o.divisionCode, relation: o.relation })),
      divisions: divisions.map((d) => ({ code: d.code, name: d.name, level: d.level, relation: d.relation })),
      people: people.filter((p) => p.holder.active).map(toPersonDto),
      unreachable: people.filter((p) => !p.holder.active).map(toUnreachableDto),
    };
  }

  /**
   * The grids among the divisions an area names by code. A grid named outright (a threshold
   * warning for a zone filed under it, an order for one grid) is ground its grid holders answer
   * for, risk object or not; grids are not otherwise looked for by geometry or under a named
   * village — there grid holders answer through the objects lying in their grid.
   */
  private async namedGrids(codes: string[]): Promise<DivisionRef[]> {
    if (!codes.length) return [];
    return [...(await this.divisions.findRefsByCodes(codes)).values()].filter((d) => d.level === 'grid');
  }
}
