import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ApiKeyScope, Principal, Role } from './principal';

export const ACCESS_POLICY = 'fangxun:access';

/**
 * Every route declares who may call it; the global access guard refuses a route that
 * declares nothing, so forgetting a decorator fails closed.
 */
export type AccessPolicy =
  { kind: 'public' } | { kind: 'roles'; roles: readonly Role[]; apiKeyScope?: ApiKeyScope } | { kind: 'api_key'; scope: ApiKeyScope };

/** Open to anyone (health, login, signed links). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy);

/** Logged-in users with one of these roles (optionally also API keys with a scope). */
export const Roles = (roles: readonly Role[], apiKeyScope?: ApiKeyScope): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_POLICY, { kind: 'roles', roles, apiKeyScope } satisfies AccessPolicy);

/** Machine clients holding an API key with this scope. */
export const ApiKeyOnly = (scope: ApiKeyScope): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_POLICY, { kind: 'api_key', scope } satisfies AccessPolicy);

/** The authenticated caller, set by the access guard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!req.principal) throw new Error('CurrentPrincipal used on a route without an authenticated policy');
  return req.principal;
});
