import type { Principal } from '@fangxun/common';
import type { RiskObjectRef, ShelterRow } from '@fangxun/geo';
import type { HolderRow } from '@fangxun/registry';
import type { HouseholdDto } from './household.dto';
import type { HouseholdRow } from './household.types';
import { phoneFor } from './phone-visibility';

export function toHouseholdDto(
  p: Principal,
  r: HouseholdRow,
  refs: { riskObject?: RiskObjectRef; holder?: HolderRow; shelter?: ShelterRow },
): HouseholdDto {
  return {
    id: r.id,
    code: r.code,
    riskObjectCode: refs.riskObject?.code ?? '',
    riskObjectName: refs.riskObject?.name ?? '',
    divisionCode: r.divisionCode,
    divisionName: r.divisionName,
    headName: r.headName,
    headPhone: phoneFor(p, r.headPhone),
    members: r.members,
    vulnerable: r.vulnerable.map((v) => ({ ...v, helperPhone: phoneFor(p, v.helperPhone) })),
    responsibleHolder: refs.holder
      ? { id: refs.holder.id, name: refs.holder.name, role: refs.holder.role, mobile: phoneFor(p, refs.holder.mobile) }
      : null,
    shelter: refs.shelter ? { code: refs.shelter.code, name: refs.shelter.name } : null,
    routeNote: r.routeNote,
    address: r.address,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}
