import type { PointDto } from '../point-features/point.dto';
import type { ShelterDto } from './shelter.dto';
import type { ShelterRow } from './shelter.repository';

export function toShelterDto(r: ShelterRow, managerName: string | null): ShelterDto {
  return {
    code: r.code,
    name: r.name,
    tier: r.tier,
    divisionCode: r.divisionCode,
    divisionName: r.divisionName,
    location: JSON.parse(r.location) as PointDto,
    capacity: r.capacity,
    occupancy: r.occupancy,
    reserved: r.reserved,
    freePlaces: r.capacity - r.occupancy - r.reserved,
    managerHolderId: r.managerHolderId,
    managerName,
    facilities: r.facilities,
    open: r.open,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

/** Export properties: what an import reads back (the create fields) plus read-only figures it ignores. */
export const SHELTER_OUTPUT_ONLY = ['divisionName', 'occupancy', 'reserved', 'freePlaces', 'managerName'] as const;

export function toShelterFeature(r: ShelterRow, managerName: string | null) {
  const dto = toShelterDto(r, managerName);
  return {
    type: 'Feature' as const,
    id: dto.code,
    geometry: dto.location,
    properties: {
      code: dto.code,
      name: dto.name,
      tier: dto.tier,
      divisionCode: dto.divisionCode,
      capacity: dto.capacity,
      managerHolderId: dto.managerHolderId,
      facilities: dto.facilities,
      open: dto.open,
      divisionName: dto.divisionName,
      occupancy: dto.occupancy,
      reserved: dto.reserved,
      freePlaces: dto.freePlaces,
      managerName: dto.managerName,
    },
  };
}
