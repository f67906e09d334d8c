import { Injectable } from '@nestjs/common';
import { AuditService, sameFieldsAs } from '@fangxun/audit';
import { AppError, assertInScope, defaultScopePath, Principal, validationError } from '@fangxun/common';
import { PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { DivisionService } from '@fangxun/registry';
import { CreateStationDto, ListStationsQuery, PointDto, StationDto, UpdateStationDto } from './station.dto';
import { StationErrors, stationNotFound } from './station.errors';
import { toStationDto } from './station.mapper';
import { StationRepository, StationRow, StationWrite } from './station.repository';

/** Gauges: rain, water level and reservoir level stations, kept by the people of their area. */
@Injectable()
export class StationService {
  constructor(
    private readonly stations: StationRepository,
    private readonly divisions: DivisionService,
    private readonly audit: AuditService,
  ) {}

  /** `field` names the parameter in a 404/403 (`code` on /stations/{code}, `stationCode` on readings). */
  async get(principal: Principal, code: string, field = 'code'): Promise<StationDto> {
    return toStationDto(await this.getRowInScope(principal, code, field));
  }

  async list(principal: Principal, q: ListStationsQuery): Promise<StationDto[]> {
    const withinPath = q.divisionCode
      ? (await this.divisions.getInScope(principal, q.divisionCode)).path
      : defaultScopePath(principal, await this.divisions.rootPath());
    const rows = await this.stations.list({ withinPath, kind: q.kind, active: q.active, liveness: q.liveness });
    return rows.map(toStationDto);
  }

  async create(principal: Principal, dto: CreateStationDto): Promise<StationDto> {
    const [lon, lat] = checkPoint(dto.point);
    const divisionId = await this.divisionFor(principal, dto.divisionCode);
    await this.save(principal, undefined, {
      code: dto.code,
      name: dto.name,
      lon,
      lat,
      divisionId,
      kind: dto.kind,
      owner: dto.owner,
      active: dto.active ?? true,
      silentAfterMinutes: dto.silentAfterMinutes ?? null,
    });
    return this.get(principal, dto.code);
  }

  async update(principal: Principal, code: string, dto: UpdateStationDto): Promise<StationDto> {
    const cur = await this.getRowInScope(principal, code);
    // Millimetres of rain and metres of water cannot share one series.
    if (dto.kind && dto.kind !== cur.kind && (await this.stations.readingCount(cur.id))) {
      throw new AppError(StationErrors.StationInUse, `station ${code} has ${cur.kind} readings`, [
        { field: 'kind', problem: 'cannot change once the station has readings; create a new station' },
      ]);
    }
    const [lon, lat] = dto.point ? checkPoint(dto.point) : [Number(cur.lon), Number(cur.lat)];
    const divisionId = dto.divisionCode ? await this.divisionFor(principal, dto.divisionCode) : cur.divisionId;
    await this.save(principal, cur, {
      code: dto.code ?? cur.code,
      name: dto.name ?? cur.name,
      lon,
      lat,
      divisionId,
      kind: dto.kind ?? cur.kind,
      owner: dto.owner ?? cur.owner,
      active: dto.active ?? cur.active,
      silentAfterMinutes: dto.silentAfterMinutes !== undefined ? dto.silentAfterMinutes : cur.silentAfterMinutes,
    });
    return this.get(principal, dto.code ?? cur.code);
  }

  /** A station with readings is history: deactivate it instead, so past sums stay explainable. */
  async remove(principal: Principal, code: string): Promise<void> {
    const row = await this.getRowInScope(principal, code);
    if (await this.stations.readingCount(row.id)) {
      throw new AppError(StationErrors.StationInUse, `station ${code} has readings`, [
        { field: 'code', problem: 'has readings; set active=false instead' },
      ]);
    }
    await this.audit.changed(
      (m) => this.stations.delete(row.id, m),
      () => ({ actor: principal, action: 'station.delete', entity: 'station', entityId: code, before: { name: row.name, kind: row.kind } }),
    );
  }

  private async getRowInScope(principal: Principal, code: string, field = 'code'): Promise<StationRow> {
    const row = await this.stations.findByCode(code);
    if (!row) throw stationNotFound(code, field);
    // Naming a gauge outside one's area is 403 OUT_OF_SCOPE, as everywhere (README: never a silent 404).
    assertInScope(principal, row.divisionPath, field);
    return row;
  }

  /** Gauges stand in a town or a village (the place whose people it warns), inside the writer's area. */
  private async divisionFor(principal: Principal, code: string): Promise<string> {
    const d = await this.divisions.getInScope(principal, code);
    assertInScope(principal, d.path);
    if (d.level !== 'town' && d.level !== 'village') {
      throw new AppError(StationErrors.BadStationDivision, `division ${code} is a ${d.level}`, [
        { field: 'divisionCode', problem: 'must be a town or a village' },
      ]);
    }
    return d.id;
  }

  private async save(principal: Principal, cur: StationRow | undefined, w: StationWrite): Promise<void> {
    try {
      await this.audit.changed(
        async (m) => {
          if (cur) await this.stations.update(cur.id, w, m);
          else await this.stations.insert(w, m);
        },
        () => ({
          actor: principal,
          action: cur ? 'station.update' : 'station.create',
          entity: 'station',
          entityId: cur?.code ?? w.code,
          before: cur ? sameFieldsAs({ ...cur, lon: Number(cur.lon), lat: Number(cur.lat) }, w) : null,
          after: { ...w },
        }),
      );
    } catch (err) {
      if (pgError(err)?.code === PG_UNIQUE_VIOLATION) {
        throw new AppError(StationErrors.StationCodeTaken, `station code ${w.code} is taken`, [
          { field: 'code', problem: 'already used by another station' },
        ]);
      }
      throw err;
    }
  }
}

function checkPoint(p: PointDto): [number, number] {
  const [lon, lat] = p.coordinates;
  if (lon < -180 || lon > 180) throw validationError('point.coordinates', 'longitude must be within -180..180');
  if (lat < -90 || lat > 90) throw validationError('point.coordinates', 'latitude must be within -90..90');
  return [lon, lat];
}
