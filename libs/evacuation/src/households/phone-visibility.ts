import { maskPhones, Principal, Role } from '@fangxun/common';

/** Roles that move people or command them: they need the number to dial. The others (auditor, keys) see it masked. */
const SEE_PHONES: readonly Role[] = ['commander', 'duty_officer', 'town_admin', 'village_admin', 'warden'];

export function seesPhones(p: Principal): boolean {
  return p.kind === 'user' && SEE_PHONES.includes(p.role);
}

/** The phone as this caller may see it: whole, or 139****5678. */
export function phoneFor(p: Principal, phone: string): string {
  return seesPhones(p) ? phone : maskPhones(phone);
}
