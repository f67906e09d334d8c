import { AppError, assertInScope, CommonErrors, Role, UserPrincipal } from '@fangxun/common';
import type { DivisionLevel, DivisionRef } from '@fangxun/registry';
import { AuthErrors } from '../auth.errors';

/**
 * The division level each role is exercised at: city-wide roles sit on the city, a town
 * admin on its town, a village admin on its village, a warden on a village or one of its grids.
 */
export const ROLE_DIVISION_LEVELS: Record<Role, readonly DivisionLevel[]> = {
  commander: ['city'],
  duty_officer: ['city'],
  auditor: ['city'],
  town_admin: ['town'],
  village_admin: ['village'],
  warden: ['village', 'grid'],
};

/** Which roles each administrator may hand out (and manage users of). */
export const ASSIGNABLE_ROLES: Partial<Record<Role, readonly Role[]>> = {
  commander: ['commander', 'duty_officer', 'auditor', 'town_admin', 'village_admin', 'warden'],
  town_admin: ['village_admin', 'warden'],
};

/** 422 naming divisionCode when a role is attached at the wrong level of the tree. */
export function assertRoleFitsDivision(role: Role, division: Pick<DivisionRef, 'code' | 'level'>): void {
  const levels = ROLE_DIVISION_LEVELS[role];
  if (!levels.includes(division.level)) {
    throw new AppError(
      AuthErrors.RoleDivisionMismatch,
      `a ${role} must be attached to a ${levels.join(' or ')}, not the ${division.level} ${division.code}`,
      [{ field: 'divisionCode', problem: `must be a ${levels.join(' or ')} for role ${role}` }],
    );
  }
}

/**
 * Refuses an administrator acting outside its area (403 OUT_OF_SCOPE on `field`) or on a
 * role it may not manage (403 FORBIDDEN on role). Scope is checked first: a town admin
 * reaching into another town is told so whatever the role.
 */
export function assertMayManage(actor: UserPrincipal, role: Role, divisionPath: string, field = 'divisionCode'): void {
  assertInScope(actor, divisionPath, field);
  if (!(ASSIGNABLE_ROLES[actor.role] ?? []).includes(role)) {
    throw new AppError(CommonErrors.Forbidden, `a ${actor.role} may not manage ${role} accounts`, [
      { field: 'role', problem: `not a role a ${actor.role} may assign` },
    ]);
  }
}
