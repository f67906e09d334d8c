import type { UserDto } from './user.dto';
import type { UserRow } from './users.repository';

/** The only way a user leaves the service: no hash, no internal columns. */
export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    active: row.active,
    divisionCode: row.divisionCode,
    divisionName: row.divisionName,
    divisionLevel: row.divisionLevel,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
