import type { IncomingHttpHeaders } from 'node:http';
import { AccessPolicy, AppError, CommonErrors, Principal } from '@fangxun/common';

export type Credentials = { kind: 'bearer'; token: string } | { kind: 'api_key'; key: string };

/**
 * The credentials a request presents: `Authorization: Bearer <jwt>` or `X-API-Key: <key>`.
 * Both at once is refused rather than one silently preferred; a non-Bearer Authorization is
 * refused rather than ignored.
 */
export function readCredentials(headers: IncomingHttpHeaders): Credentials | undefined {
  const authorization = headers.authorization?.trim();
  const apiKey = headers['x-api-key'];
  const key = (Array.isArray(apiKey) ? apiKey[0] : apiKey)?.trim();
  if (authorization && key) throw unauthenticated('send either a bearer token or an API key, not both', 'authorization');
  if (key) return { kind: 'api_key', key };
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m) throw unauthenticated('Authorization must be "Bearer <token>"', 'authorization');
  return { kind: 'bearer', token: m[1] };
}

/** The scope an API key needs on a route, or undefined when the route admits no API key. */
export function apiKeyScopeOf(policy: AccessPolicy): string | undefined {
  return policy.kind === 'api_key' ? policy.scope : policy.kind === 'roles' ? policy.apiKeyScope : undefined;
}

/** Throws 403 FORBIDDEN unless the authenticated principal satisfies the route's policy. */
export function authorize(policy: AccessPolicy, principal: Principal): void {
  if (policy.kind === 'public') return;
  if (principal.kind === 'user') {
    if (policy.kind === 'roles' && policy.roles.includes(principal.role)) return;
    throw forbidden(
      policy.kind === 'api_key' ? 'this route is for API keys only' : `role ${principal.role} may not call this route`,
      'role',
    );
  }
  const scope = apiKeyScopeOf(policy);
  if (!scope) throw forbidden('API keys are not accepted on this route', 'x-api-key');
  if (!principal.scopes.includes(scope)) throw forbidden(`API key lacks scope ${scope}`, 'x-api-key');
}

export function unauthenticated(message: string, field: string): AppError {
  return new AppError(CommonErrors.Unauthenticated, message, [{ field, problem: message }]);
}

function forbidden(message: string, field: string): AppError {
  return new AppError(CommonErrors.Forbidden, message, [{ field, problem: message }]);
}
