import type { StationDto } from './station.dto';
import type { StationRow } from './station.repository';

export function toStationDto(r: StationRow): StationDto {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    point: { type: 'Point', coordinates: [Number(r.lon), Number(r.lat)] },
    divisionCode: r.divisionCode,
    divisionName: r.divisionName,
    kind: r.kind,
    owner: r.owner,
    active: r.active,
    silentAfterMinutes: r.silentAfterMinutes,
    liveness: r.liveness,
    lastObservedAt: r.lastObservedAt ? new Date(r.lastObservedAt).toISOString() : null,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}
