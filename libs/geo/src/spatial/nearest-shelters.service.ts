import { Injectable } from '@nestjs/common';
import { AppError, assertInScope, CommonErrors, Principal } from '@fangxun/common';
import { GeoErrors } from '../geo.errors';
import { AreaResolver } from './area-resolver.service';
import type { NearestSheltersDto, NearestSheltersQuery, NearShelterDto } from './dto/nearest-shelters.dto';
import { knnIsExact } from './knn-bound';
import { NearOrigin, NearShelterRow, ShelterSearchRepository } from './shelter-search.repository';
import { roundM, toScopeDto } from './spatial.mapper';

/** Candidates fetched by degrees per shelter wanted; grown 4× whenever the result could still change. */
const OVERFETCH = 4;
const MAX_ROUNDS = 4;

/**
 * Nearest open shelters with free places, by KNN then geodesic metres (see knn-bound.ts for why
 * both). Shelters are limited to the caller's area; a point or risk object outside it is refused (403).
 */
@Injectable()
export class NearestSheltersService {
  constructor(
    private readonly areas: AreaResolver,
    private readonly repo: ShelterSearchRepository,
  ) {}

  async find(principal: Principal | undefined, q: NearestSheltersQuery): Promise<NearestSheltersDto> {
    const limit = q.limit ?? 5;
    const minFree = q.minFree ?? 1;
    const origin = this.origin(q);
    const scope = await this.areas.scopeOf(principal);
    if ('point' in origin) await this.areas.assertPointInScope(principal, q.lon!, q.lat!);
    const within = scope.cityWide ? null : scope.path;
    let fetch = Math.max(limit * OVERFETCH, limit + 16);
    let rows = await this.repo.nearest(origin, within, minFree, fetch);
    if (!rows.length) {
      throw new AppError(GeoErrors.RiskObjectNotFound, `risk object ${q.riskObjectCode} not found`, [
        { field: 'riskObjectCode', problem: 'no such risk object' },
      ]);
    }
    if (principal && rows[0].originPath) assertInScope(principal, rows[0].originPath, 'riskObjectCode');
    const found = (r: NearShelterRow[]) => r.filter((x) => x.code !== null);
    for (let round = 1; round < MAX_ROUNDS && !knnIsExact(found(rows), fetch, limit, rows[0].maxAbsLat); round++) {
      fetch *= OVERFETCH;
      rows = await this.repo.nearest(origin, within, minFree, fetch);
    }
    return { scope: toScopeDto(scope), riskObjectCode: q.riskObjectCode ?? null, shelters: found(rows).slice(0, limit).map(toNearDto) };
  }

  private origin(q: NearestSheltersQuery): NearOrigin {
    const hasPoint = q.lon !== undefined || q.lat !== undefined;
    if (!!q.riskObjectCode === hasPoint || (hasPoint && (q.lon === undefined || q.lat === undefined))) {
      const field = q.riskObjectCode || q.lon === undefined ? 'lon' : 'lat';
      throw new AppError(CommonErrors.Validation, 'give either riskObjectCode or both lon and lat', [
        { field, problem: 'give either riskObjectCode or both lon and lat' },
      ]);
    }
    return q.riskObjectCode
      ? { riskObjectCode: q.riskObjectCode }
      : { point: JSON.stringify({ type: 'Point', coordinates: [q.lon, q.lat] }) };
  }
}

function toNearDto(r: NearShelterRow): NearShelterDto {
  return {
    code: r.code!,
    name: r.name,
    tier: r.tier,
    divisionCode: r.divisionCode,
    divisionName: r.divisionName,
    distanceM: roundM(r.distanceM)!,
    free: r.free,
    capacity: r.capacity,
    occupancy: r.occupancy,
    reserved: r.reserved,
    location: [r.lon, r.lat],
    assigned: r.preference !== null,
    preference: r.preference,
  };
}
