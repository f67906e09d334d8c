import { ErrorDetail, isWithin } from '@fangxun/common';
import type { DivisionLevel } from '../divisions/division-level';
import { ROLE_LEVEL } from '../divisions/division-rules';
import type { HolderRole } from './holder-role';

/**
 * Registry rules for one appointment, pure so that single writes and bulk imports apply
 * exactly the same ones. Each returns the problem with the field it concerns, or nothing.
 */
export function roleLevelProblem(role: HolderRole, level: DivisionLevel): ErrorDetail | undefined {
  const want = ROLE_LEVEL[role];
  return want === level ? undefined : { field: 'role', problem: `a ${role} is appointed at a ${want}, not at a ${level}` };
}

/** The superior must sit at the holder's own division or above it: the chain only climbs. */
export function superiorProblem(
  holder: { id?: string; divisionPath: string },
  superior: { id: string; divisionPath: string; active: boolean } | undefined,
): ErrorDetail | undefined {
  if (!superior) return { field: 'superiorId', problem: 'no such holder' };
  if (holder.id && superior.id === holder.id) return { field: 'superiorId', problem: 'a holder cannot answer to themself' };
  if (!isWithin(holder.divisionPath, superior.divisionPath)) {
    return { field: 'superiorId', problem: 'the superior must be at this division or one above it (包保 chain)' };
  }
  if (!superior.active) return { field: 'superiorId', problem: 'the superior is not active' };
  return undefined;
}

/** The backup stands in nearby: in the holder's division, a sibling, or below the parent. */
export function backupProblem(
  holder: { id?: string; divisionPath: string },
  backup: { id: string; divisionPath: string; active: boolean } | undefined,
): ErrorDetail | undefined {
  if (!backup) return { field: 'backupId', problem: 'no such holder' };
  if (holder.id && backup.id === holder.id) return { field: 'backupId', problem: 'a holder cannot be their own backup' };
  const parent = holder.divisionPath.includes('.')
    ? holder.divisionPath.slice(0, holder.divisionPath.lastIndexOf('.'))
    : holder.divisionPath;
  if (!isWithin(backup.divisionPath, parent))
    return { field: 'backupId', problem: 'the backup must work in the same area (same parent division)' };
  if (!backup.active) return { field: 'backupId', problem: 'the backup is not active' };
  return undefined;
}
