import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@fangxun/common';
import { AuthErrors } from '../auth.errors';
import { UsersRepository } from '../users/users.repository';
import { AccessTokenService } from './access-token.service';
import { LoginDto, LoginResponseDto } from './login.dto';
import { PasswordHasher } from './password-hasher.service';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokenService,
  ) {}

  /**
   * Unknown user, wrong password and deactivated account all get the same 401 after the same
   * amount of hashing work, so the response says nothing about which usernames exist.
   */
  async login(dto: LoginDto): Promise<LoginResponseDto> {
    const username = dto.username.trim().toLowerCase();
    const user = await this.users.findForLogin(username);
    const ok = user ? await this.hasher.verify(user.passwordHash, dto.password) : await this.hasher.verifyDummy(dto.password);
    if (!user || !ok || !user.active) {
      if (user && ok) this.logger.log({ userId: user.id }, 'login refused: account deactivated');
      throw new AppError(AuthErrors.InvalidCredentials, 'invalid username or password', [
        { field: 'password', problem: 'username and password do not match an active account' },
      ]);
    }
    if (this.hasher.needsRehash(user.passwordHash)) {
      // The scrypt parameters were raised since this hash was made: upgrade it while we have the password.
      await this.users.update(user.id, { passwordHash: await this.hasher.hash(dto.password) });
    }
    return {
      accessToken: await this.tokens.issue(user),
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, divisionCode: user.divisionCode },
    };
  }
}
