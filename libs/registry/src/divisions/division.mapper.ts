import type { DivisionDto } from './division.dto';
import type { DivisionRow } from './division.repository';

export function toDivisionDto(row: DivisionRow): DivisionDto {
  const dto: DivisionDto = {
    id: row.id,
    code: row.code,
    name: row.name,
    level: row.level,
    parentCode: row.parentCode,
    path: row.path,
    boundarySynthetic: row.boundarySynthetic,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
  if (row.boundary !== undefined) dto.boundary = row.boundary;
  return dto;
}
