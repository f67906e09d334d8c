import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal, UserPrincipal } from '@fangxun/common';

/**
 * The logged-in person calling a route whose policy admits users only. Using it on a route
 * that also admits API keys is a programming error, reported as a 500 rather than guessed at.
 */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): UserPrincipal => {
  const principal = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (principal?.kind !== 'user') throw new Error('CurrentUser used on a route that does not require a logged-in user');
  return principal;
});
