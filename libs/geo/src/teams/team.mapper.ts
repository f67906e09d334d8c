import type { PointDto } from '../point-features/point.dto';
import type { TeamDto } from './team.dto';
import type { TeamRow } from './team.repository';

export function toTeamDto(r: TeamRow): TeamDto {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    divisionCode: r.divisionCode,
    divisionName: r.divisionName,
    members: r.members,
    specialities: r.specialities,
    base: JSON.parse(r.base) as PointDto,
    contactName: r.contactName,
    contactPhone: r.contactPhone,
    status: r.status,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

/** Status is live (deployed, resting…): exported for reading, set only through POST …/status, ignored on import. */
export const TEAM_OUTPUT_ONLY = ['divisionName', 'status'] as const;

export function toTeamFeature(r: TeamRow) {
  const dto = toTeamDto(r);
  return {
    type: 'Feature' as const,
    id: dto.code,
    geometry: dto.base,
    properties: {
      code: dto.code,
      name: dto.name,
      level: dto.level,
      divisionCode: dto.divisionCode,
      members: dto.members,
      specialities: dto.specialities,
      contactName: dto.contactName,
      contactPhone: dto.contactPhone,
      divisionName: dto.divisionName,
      status: dto.status,
    },
  };
}
