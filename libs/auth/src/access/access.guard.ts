import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_POLICY, AccessPolicy, AppError, CommonErrors, Principal } from '@fangxun/common';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AccessTokenService } from '../login/access-token.service';
import { authorize, readCredentials, unauthenticated } from './access-policy';

/**
 * The global guard (APP_GUARD): every HTTP route must declare an access policy with
 * `@Public()`, `@Roles()` or `@ApiKeyOnly()`. A route without one is refused, so a forgotten
 * decorator fails closed. On success the caller is available as `req.principal`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Socket.io gateways authenticate once, in the handshake, and join rooms by person and
    // division; per-message guards would redo that work for every event.
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy) throw new AppError(CommonErrors.Forbidden, 'route has no access policy');
    if (policy.kind === 'public') return true;

    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const credentials = readCredentials(req.headers);
    if (!credentials) throw unauthenticated('authentication required: send Authorization: Bearer <token> or X-API-Key', 'authorization');
    const principal =
      credentials.kind === 'bearer' ? await this.tokens.verify(credentials.token) : await this.apiKeys.authenticate(credentials.key);
    authorize(policy, principal);
    req.principal = principal;
    return true;
  }
}
