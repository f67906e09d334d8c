import { AppError, CommonErrors } from './app-error';
import { CITY_WIDE_ROLES, Principal } from './principal';

/** True when `path` is `root` itself or lies below it in the division tree (ltree semantics). */
export function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`);
}

/** Whether the principal may see things filed under the division at `divisionPath`. */
export function inScope(principal: Principal, divisionPath: string): boolean {
  // A key is city-wide once a route's guard let it in: registry:read for the registry, feeds:read for gauges and rain.
  if (principal.kind === 'api_key') return principal.scopes.includes('registry:read') || principal.scopes.includes('feeds:read');
  return CITY_WIDE_ROLES.includes(principal.role) || isWithin(divisionPath, principal.divisionPath);
}

/**
 * Refuses (403) access outside the principal's area. Out-of-scope requests are refused,
 * never answered with a silently filtered result.
 */
export function assertInScope(principal: Principal, divisionPath: string, field = 'divisionCode'): void {
  if (!inScope(principal, divisionPath)) {
    const code = divisionPath.split('.').pop() ?? divisionPath;
    throw new AppError(CommonErrors.OutOfScope, `division ${code} is outside your area`, [
      { field, problem: 'outside the area you are responsible for' },
    ]);
  }
}

/** The subtree a principal's unfiltered queries cover: the city for city-wide roles. */
export function defaultScopePath(principal: Principal, cityPath: string): string {
  if (principal.kind === 'api_key' || CITY_WIDE_ROLES.includes(principal.role)) return cityPath;
  return principal.divisionPath;
}
