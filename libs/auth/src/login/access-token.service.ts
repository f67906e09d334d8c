import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppError, CommonErrors, Role, UserPrincipal, UUID_PATTERN } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { UserRow, UsersRepository } from '../users/users.repository';

/** Claims of a Fangxun access token (HS256, issuer from config). */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  role: Role;
  divisionId: string;
  divisionCode: string;
  /** ltree path of the division, so that clients and gateways can scope without a lookup. */
  divisionPath: string;
}

/** Issues access tokens and turns a presented one back into the principal it stands for. */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.auth.jwtTtlSeconds;
  }

  issue(user: UserRow): Promise<string> {
    const claims: AccessTokenClaims = {
      sub: user.id,
      username: user.username,
      role: user.role,
      divisionId: user.divisionId,
      divisionCode: user.divisionCode,
      divisionPath: user.divisionPath,
    };
    return this.jwt.signAsync(claims);
  }

  /**
   * Verifies signature, algorithm, expiry and issuer, then reloads the user: a deactivated
   * user's tokens stop working at once, and a changed role or division takes effect on the
   * next request (the principal is built from the row, not from the token's claims).
   */
  async verify(token: string): Promise<UserPrincipal> {
    return (await this.verifyWithHolder(token)).principal;
  }

  /**
   * As `verify`, plus the responsibility holder the user is linked to, from the same row: the
   * socket handshake needs both, and in a reconnect storm every query per handshake counts.
   */
  async verifyWithHolder(token: string): Promise<{ principal: UserPrincipal; holderId: string | null }> {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token);
    } catch (err) {
      throw unauthenticated((err as Error).name === 'TokenExpiredError' ? 'access token expired' : 'invalid access token');
    }
    if (typeof claims.sub !== 'string' || !UUID_PATTERN.test(claims.sub)) throw unauthenticated('invalid access token');
    const user = await this.users.findById(claims.sub);
    if (!user || !user.active) throw unauthenticated('user no longer active');
    return { principal: toUserPrincipal(user), holderId: user.holderId };
  }
}

export function toUserPrincipal(user: UserRow): UserPrincipal {
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    role: user.role,
    divisionId: user.divisionId,
    divisionCode: user.divisionCode,
    divisionPath: user.divisionPath,
  };
}

function unauthenticated(message: string): AppError {
  return new AppError(CommonErrors.Unauthenticated, message, [{ field: 'authorization', problem: message }]);
}
