import { Logger } from '@nestjs/common';
import { AppError } from '@fangxun/common';
import type { UserRow, UsersRepository } from '../users/users.repository';
import type { AccessTokenService } from './access-token.service';
import { AuthService } from './auth.service';
import type { PasswordHasher } from './password-hasher.service';

const row = (over: Partial<UserRow & { passwordHash: string }> = {}) => ({
  id: 'u1',
  username: 'commander',
  displayName: '张指挥',
  role: 'commander' as const,
  active: true,
  holderId: null,
  divisionId: 'd1',
  divisionCode: '331082',
  divisionName: '临海市',
  divisionLevel: 'city' as const,
  divisionPath: '331082',
  createdAt: new Date(),
  updatedAt: new Date(),
  passwordHash: '$scrypt$stored',
  ...over,
});

describe('AuthService.login: one answer for every wrong credential', () => {
  const users = { findForLogin: jest.fn(), update: jest.fn() };
  const hasher = {
    verify: jest.fn(async (_h: string, pw: string) => pw === 'right-password'),
    verifyDummy: jest.fn(async () => false as const),
    needsRehash: jest.fn(() => false),
    hash: jest.fn(async () => '$scrypt$new'),
  };
  const tokens = { issue: jest.fn(async () => 'jwt'), ttlSeconds: 43200 };
  const service = new AuthService(
    users as unknown as UsersRepository,
    hasher as unknown as PasswordHasher,
    tokens as unknown as AccessTokenService,
  );
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => jest.clearAllMocks());

  async function failure(username: string, password: string) {
    const err = await service.login({ username, password }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    return { status: e.status, code: e.code, message: e.message, details: e.details };
  }

  it('spends a password verification on a dummy hash when the username is unknown', async () => {
    users.findForLogin.mockResolvedValue(undefined);
    const unknown = await failure('nobody', 'whatever-password');
    expect(hasher.verifyDummy).toHaveBeenCalledWith('whatever-password');
    users.findForLogin.mockResolvedValue(row());
    const wrong = await failure('commander', 'wrong-password');
    expect(hasher.verify).toHaveBeenCalledWith('$scrypt$stored', 'wrong-password');
    expect(unknown).toEqual(wrong);
    expect(wrong).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
  });

  it('refuses a deactivated account with the same answer even when the password is right', async () => {
    users.findForLogin.mockResolvedValue(row());
    const wrong = await failure('commander', 'wrong-password');
    users.findForLogin.mockResolvedValue(row({ active: false }));
    expect(await failure('commander', 'right-password')).toEqual(wrong);
    expect(tokens.issue).not.toHaveBeenCalled();
  });

  it('issues a token and upgrades a hash made with older scrypt parameters', async () => {
    users.findForLogin.mockResolvedValue(row());
    hasher.needsRehash.mockReturnValueOnce(true);
    const res = await service.login({ username: 'Commander ', password: 'right-password' });
    expect(users.findForLogin).toHaveBeenCalledWith('commander');
    expect(users.update).toHaveBeenCalledWith('u1', { passwordHash: '$scrypt$new' });
    expect(res).toEqual({
      accessToken: 'jwt',
      tokenType: 'Bearer',
      expiresIn: 43200,
      user: { id: 'u1', username: 'commander', displayName: '张指挥', role: 'commander', divisionCode: '331082' },
    });
  });
});
