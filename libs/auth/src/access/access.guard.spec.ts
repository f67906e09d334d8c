import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyOnly, AppError, Principal, Public, Roles, UserPrincipal } from '@fangxun/common';
import type { ApiKeysService } from '../api-keys/api-keys.service';
import type { AccessTokenService } from '../login/access-token.service';
import { AccessGuard } from './access.guard';

class Routes {
  @Public() open(): void {}
  @Roles(['commander']) command(): void {}
  @ApiKeyOnly('feeds:write') feed(): void {}
  undeclared(): void {}
}

@Roles(['auditor'])
class AuditorRoutes {
  @Roles(['commander']) commandOverride(): void {}
  inherited(): void {}
}

const commander: UserPrincipal = {
  kind: 'user',
  userId: 'u1',
  username: 'commander',
  role: 'commander',
  divisionId: 'd1',
  divisionCode: '331082',
  divisionPath: '331082',
};

function httpContext(cls: object, method: string, headers: Record<string, string> = {}) {
  const req: { headers: Record<string, string>; principal?: Principal } = { headers };
  const ctx = {
    getType: () => 'http',
    getHandler: () => (cls as Record<string, unknown>)[method],
    getClass: () => cls.constructor,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

describe('AccessGuard: every route declares who may call it', () => {
  const tokens = { verify: jest.fn(async () => commander) };
  const keys = { authenticate: jest.fn() };
  const guard = new AccessGuard(new Reflector(), tokens as unknown as AccessTokenService, keys as unknown as ApiKeysService);
  beforeEach(() => jest.clearAllMocks());

  it('refuses a route without a policy with 403, before looking at credentials', async () => {
    const { ctx } = httpContext(new Routes(), 'undeclared', { authorization: 'Bearer t' });
    await expect(guard.canActivate(ctx)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'route has no access policy' });
    expect(tokens.verify).not.toHaveBeenCalled();
  });

  it('lets anyone through a public route without authenticating', async () => {
    const { ctx, req } = httpContext(new Routes(), 'open');
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(req.principal).toBeUndefined();
  });

  it('asks for credentials (401) on a guarded route and sets req.principal once authorised', async () => {
    await expect(guard.canActivate(httpContext(new Routes(), 'command').ctx)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const { ctx, req } = httpContext(new Routes(), 'command', { authorization: 'Bearer t' });
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(tokens.verify).toHaveBeenCalledWith('t');
    expect(req.principal).toBe(commander);
  });

  it('reads the method policy before the class policy', async () => {
    await expect(guard.canActivate(httpContext(new AuditorRoutes(), 'commandOverride', { authorization: 'Bearer t' }).ctx)).resolves.toBe(
      true,
    );
    const refused = guard.canActivate(httpContext(new AuditorRoutes(), 'inherited', { authorization: 'Bearer t' }).ctx);
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'role commander may not call this route' });
  });

  it('leaves non-HTTP contexts to their own handshake authentication', async () => {
    const ctx = { getType: () => 'ws' } as unknown as ExecutionContext;
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
  });
});
