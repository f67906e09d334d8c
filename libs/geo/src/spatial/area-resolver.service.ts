import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError, assertInScope, CITY_WIDE_ROLES, CommonErrors, ErrorDetail, Principal } from '@fangxun/common';
import { flattenValidationErrors } from '@fangxun/platform';
import { DivisionService, RegistryErrors } from '@fangxun/registry';
import { GeoErrors } from '../geo.errors';
import { GeoJsonChecker } from '../geojson/geojson-checker.service';
import { AreaDto, givenAreaKinds } from './dto/area.dto';
import type { AreaQuery, ResolvedArea, SpatialScope } from './spatial.types';

/**
 * Turns an area spec into SQL-ready geometry and the caller's scope. Scoping rule:
 * - divisionCodes: every code must be in the caller's area (403 OUT_OF_SCOPE naming the code);
 * - a drawn polygon or circle: answers are limited to the caller's division and the answer
 *   says so (`scope.clipped`); an area wholly outside the caller's division is refused (403),
 *   as an empty answer would read as "nobody there".
 * Called by the HTTP routes and directly by other modules (wake-up), so it validates again.
 */
@Injectable()
export class AreaResolver {
  constructor(
    private readonly divisions: DivisionService,
    private readonly checker: GeoJsonChecker,
  ) {}

  async resolve(spec: AreaDto | object, principal?: Principal): Promise<ResolvedArea> {
    const area = await checked(spec);
    const kind = givenAreaKinds(area)[0];
    const scope = await this.scopeOf(principal);
    if (kind === 'divisionCodes') return this.divisionArea(area.divisionCodes!, scope, principal);
    const query: AreaQuery =
      kind === 'circle'
        ? { circle: { lon: area.circle!.center[0], lat: area.circle!.center[1], radiusM: area.circle!.radiusKm * 1000 } }
        : { geojson: await this.polygon(area.polygon) };
    if (principal && principal.kind === 'user' && !CITY_WIDE_ROLES.includes(principal.role)) {
      const coverage = await this.divisions.areaCoverage(principal.divisionId, query);
      if (coverage && !coverage.intersects) {
        throw new AppError(CommonErrors.OutOfScope, `the ${kind} lies wholly outside ${principal.divisionCode}, your area`, [
          { field: kind, problem: 'lies wholly outside the area you are responsible for' },
        ]);
      }
      scope.clipped = coverage ? !coverage.covers : null;
    }
    return { kind, query, scope };
  }

  /** The caller's scope without an area (nearest shelters, capacity, invariants). */
  async scopeOf(principal?: Principal): Promise<SpatialScope> {
    if (!principal || principal.kind !== 'user' || CITY_WIDE_ROLES.includes(principal.role)) {
      const city = await this.divisions.rootRef();
      return { path: city?.path ?? '', divisionCode: city?.code ?? '', divisionName: city?.name ?? '', cityWide: true, clipped: false };
    }
    const own = await this.divisions.findRefById(principal.divisionId);
    return {
      path: principal.divisionPath,
      divisionCode: principal.divisionCode,
      divisionName: own?.name ?? '',
      cityWide: false,
      clipped: false,
    };
  }

  /** The caller's scope narrowed to one division under it (404 unknown, 403 outside the caller's area). */
  async scopeUnder(principal: Principal | undefined, divisionCode?: string): Promise<SpatialScope> {
    const scope = await this.scopeOf(principal);
    if (!divisionCode) return scope;
    const d = principal ? await this.divisions.getInScope(principal, divisionCode) : await this.divisions.findRefByCode(divisionCode);
    if (!d) {
      throw new AppError(RegistryErrors.DivisionNotFound, `division ${divisionCode} not found`, [
        { field: 'divisionCode', problem: 'no such division' },
      ]);
    }
    return { ...scope, path: d.path, divisionCode: d.code, divisionName: d.name, cityWide: d.level === 'city' };
  }

  /** Refuses (403) a point outside a scoped caller's division, when that division has a boundary. */
  async assertPointInScope(principal: Principal | undefined, lon: number, lat: number): Promise<void> {
    if (!principal || principal.kind !== 'user' || CITY_WIDE_ROLES.includes(principal.role)) return;
    const coverage = await this.divisions.areaCoverage(principal.divisionId, { circle: { lon, lat, radiusM: 0 } });
    if (coverage && !coverage.intersects) {
      throw new AppError(CommonErrors.OutOfScope, `the point lies outside ${principal.divisionCode}, your area`, [
        { field: 'lon', problem: 'lies outside the area you are responsible for' },
      ]);
    }
  }

  private async polygon(geometry: unknown): Promise<string> {
    const res = await this.checker.check(
      { type: 'FeatureCollection', features: [{ type: 'Feature', geometry, properties: {} }] },
      { repair: false },
    );
    const problem = res.rejected[0]?.problem;
    if (problem || !res.features[0]) {
      throw new AppError(CommonErrors.InvalidGeometry, `polygon: ${problem ?? 'invalid geometry'}`, [
        { field: 'polygon', problem: problem ?? 'invalid geometry' },
      ]);
    }
    return res.features[0].geometry;
  }

  private async divisionArea(codes: string[], scope: SpatialScope, principal?: Principal): Promise<ResolvedArea> {
    // 12-digit CPEAS forms (`331082004000`) name the same division as ours (`331082004`).
    const refs = await this.divisions.findRefsByGeocodes(codes);
    const unknown: ErrorDetail[] = codes.flatMap((c, i) =>
      refs.has(c) ? [] : [{ field: `divisionCodes[${i}]`, problem: `no division ${c}` }],
    );
    if (unknown.length) throw new AppError(RegistryErrors.UnknownDivision, unknown.map((d) => d.problem).join('; '), unknown);
    if (principal) codes.forEach((c, i) => assertInScope(principal, refs.get(c)!.path, `divisionCodes[${i}]`));
    const union = await this.divisions.boundaryUnion([...refs.values()].map((r) => r.id));
    if (union.withoutBoundary.length || !union.geojson) {
      const details = codes.flatMap((c, i) =>
        union.withoutBoundary.includes(refs.get(c)!.code)
          ? [{ field: `divisionCodes[${i}]`, problem: `division ${c} has no boundary, so it cannot be used as an area` }]
          : [],
      );
      throw new AppError(GeoErrors.GeoRuleViolated, details.map((d) => d.problem).join('; ') || 'no boundary', details);
    }
    return {
      kind: 'divisionCodes',
      query: { geojson: union.geojson },
      divisionCodes: [...new Set([...refs.values()].map((r) => r.code))],
      scope,
    };
  }
}

async function checked(spec: object): Promise<AreaDto> {
  const dto = spec instanceof AreaDto ? spec : plainToInstance(AreaDto, spec);
  const errors = await validate(dto, { whitelist: true, forbidUnknownValues: true });
  if (errors.length) {
    const details = flattenValidationErrors(errors);
    throw new AppError(CommonErrors.Validation, details.map((d) => `${d.field}: ${d.problem}`).join('; '), details);
  }
  return dto;
}
