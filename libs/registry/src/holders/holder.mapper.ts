import { holderKind } from '../divisions/division-rules';
import type { HolderDto } from './holder.dto';
import type { HolderRow } from './holder.repository';

export function toHolderDto(r: HolderRow): HolderDto {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    kind: holderKind(r.role),
    divisionCode: r.divisionCode,
    divisionName: r.divisionName,
    mobile: r.mobile,
    otherPhones: r.otherPhones ?? [],
    superior:
      r.superiorId && r.superiorName && r.superiorRole && r.superiorDivisionCode
        ? { id: r.superiorId, name: r.superiorName, role: r.superiorRole, divisionCode: r.superiorDivisionCode }
        : null,
    backup:
      r.backupId && r.backupName && r.backupRole && r.backupDivisionCode
        ? { id: r.backupId, name: r.backupName, role: r.backupRole, divisionCode: r.backupDivisionCode }
        : null,
    active: r.active,
    appointedYear: r.appointedYear,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}
