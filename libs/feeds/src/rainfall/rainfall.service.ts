import { Injectable } from '@nestjs/common';
import { AppError, Clock, CommonErrors, defaultScopePath, Principal, validationError } from '@fangxun/common';
import { GeoJsonChecker } from '@fangxun/geo';
import { DivisionService } from '@fangxun/registry';
import { StationService } from '../gauges/station.service';
import { ArealRainfallDto, StationSumsDto, StationTotalDto } from './rainfall.dto';
import { toArealDto, toStationSumsDto } from './rainfall.mapper';
import { AreaSource, RainfallRepository, WithdrawnReadingRow } from './rainfall.repository';

export const DEFAULT_WINDOWS = [1, 3, 6, 12, 24];

export interface SumOptions {
  /** Leave suspect readings out (a threshold should not fire on a spike next to dry gauges). */
  excludeSuspect?: boolean;
}

export interface Period {
  from: Date;
  to: Date;
}

/**
 * Rainfall arithmetic in PostgreSQL: rolling sums per station, totals since a start, areal
 * rainfall (面雨量) by arithmetic mean and by Thiessen polygons. All from stored readings.
 */
@Injectable()
export class RainfallService {
  constructor(
    private readonly repo: RainfallRepository,
    private readonly stations: StationService,
    private readonly divisions: DivisionService,
    private readonly geojson: GeoJsonChecker,
    private readonly clock: Clock,
  ) {}

  /** Sums for every active rain station, each window (hours) ending at `at`. For the thresholds. */
  async sumsAt(at: Date, windowsHours: number[], opts: SumOptions = {}): Promise<StationSumsDto[]> {
    const rows = await this.repo.sums(at, windowsHours, {}, opts.excludeSuspect ?? false);
    return rows.map((r) => toStationSumsDto(r, windowsHours));
  }

  /** Readings of these stations in the `hours` ending at `at` that were flagged suspect after being stored ok. */
  async withdrawnEvidence(stationIds: string[], at: Date, hours: number, limit = 500): Promise<WithdrawnReadingRow[]> {
    return this.repo.withdrawn(stationIds, new Date(at.getTime() - hours * 3_600_000), at, limit);
  }

  /** Sums for the active rain stations within radiusKm of a point (GeoJSON Point), nearest first. */
  async sumsNear(
    point: { type: 'Point'; coordinates: number[] },
    radiusKm: number,
    windowsHours: number[],
    at: Date,
    opts: SumOptions = {},
  ): Promise<StationSumsDto[]> {
    const near = await this.repo.near(JSON.stringify(point), radiusKm * 1000);
    if (!near.length) return [];
    const rows = await this.repo.sums(at, windowsHours, { stationIds: near.map((n) => n.stationId) }, opts.excludeSuspect ?? false);
    const byId = new Map(rows.map((r) => [r.stationId, r]));
    return near.flatMap((n) => {
      const r = byId.get(n.stationId);
      return r ? [toStationSumsDto({ ...r, distanceKm: Number(n.distanceKm) }, windowsHours)] : [];
    });
  }

  /** The API's view: stations in the caller's area (or a division of it). */
  async stationSums(
    principal: Principal,
    q: { at?: string; windows?: number[]; divisionCode?: string; excludeSuspect?: boolean },
  ): Promise<StationSumsDto[]> {
    const withinPath = q.divisionCode
      ? (await this.divisions.getInScope(principal, q.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    const windows = q.windows ?? DEFAULT_WINDOWS;
    const at = q.at ? new Date(q.at) : this.clock.now();
    const rows = await this.repo.sums(at, windows, { withinPath }, q.excludeSuspect ?? false);
    return rows.map((r) => toStationSumsDto(r, windows));
  }

  async since(principal: Principal, code: string, q: { from: string; to?: string; excludeSuspect?: boolean }): Promise<StationTotalDto> {
    const station = await this.stations.get(principal, code);
    const to = q.to ? new Date(q.to) : this.clock.now();
    const from = new Date(q.from);
    if (from >= to) throw validationError('from', 'must be before to');
    const t = await this.repo.total(station.id, from, to, q.excludeSuspect ?? false);
    return { code: station.code, from: from.toISOString(), to: to.toISOString(), mm: t.mm, readings: t.readings, suspect: t.suspect };
  }

  /** Areal rainfall over a division's boundary (town, village, the city). */
  async arealForDivision(principal: Principal, code: string, period: Period, opts: SumOptions = {}): Promise<ArealRainfallDto> {
    const d = await this.divisions.getInScope(principal, code);
    const res = await this.repo.areal({ divisionId: d.id }, period.from, period.to, opts.excludeSuspect ?? false);
    if (!res) {
      throw new AppError(CommonErrors.Unprocessable, `division ${code} has no boundary`, [
        { field: 'divisionCode', problem: 'has no boundary to average over' },
      ]);
    }
    return { divisionCode: d.code, divisionName: d.name, ...toArealDto(res, period, opts.excludeSuspect ?? false) };
  }

  /** Areal rainfall over any polygon (a watershed, a drawn area), checked like every GeoJSON input. */
  async arealForArea(area: unknown, period: Period, opts: SumOptions = {}): Promise<ArealRainfallDto> {
    const checked = await this.geojson.check(
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: area }] },
      { repair: false },
    );
    const f = checked.features[0];
    if (!f) throw validationError('area', checked.rejected[0]?.problem ?? 'not a valid geometry');
    // PostGIS names types its own way (POLYGON, ST_Polygon): compare on the bare name.
    const type = f.geometryType.replace(/^ST_/i, '').toUpperCase();
    if (type !== 'POLYGON' && type !== 'MULTIPOLYGON') throw validationError('area', 'must be a Polygon or MultiPolygon');
    const source: AreaSource = { geojson: f.geometry };
    const res = await this.repo.areal(source, period.from, period.to, opts.excludeSuspect ?? false);
    if (!res) throw validationError('area', 'not a valid geometry');
    return toArealDto(res, period, opts.excludeSuspect ?? false);
  }

  /** Areal rainfall of every town in the caller's area. */
  async arealTowns(principal: Principal, period: Period, opts: SumOptions = {}): Promise<ArealRainfallDto[]> {
    const within = defaultScopePath(principal, await this.divisions.rootPath());
    const towns = await this.repo.townsWithBoundary(within);
    const out: ArealRainfallDto[] = [];
    for (const t of towns) out.push(await this.arealForDivision(principal, t.code, period, opts));
    return out;
  }

  /** at/hours/from → (from, to]; default the 24 hours ending now. */
  period(q: { at?: string; hours?: number; from?: string }): Period {
    const to = q.at ? new Date(q.at) : this.clock.now();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - (q.hours ?? 24) * 3_600_000);
    if (from >= to) throw validationError('from', 'must be before at');
    return { from, to };
  }
}
