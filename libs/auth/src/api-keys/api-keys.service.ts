import { Injectable } from '@nestjs/common';
import { ApiKeyPrincipal, AppError, Clock, CommonErrors, UserPrincipal, validationError } from '@fangxun/common';
import { pgError, PG_UNIQUE_VIOLATION } from '@fangxun/database';
import { AuthErrors } from '../auth.errors';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-key.dto';
import { generateApiKey, parseApiKey, secretMatches } from './api-key-format';
import { toApiKeyDto } from './api-key.mapper';
import { ApiKeysRepository } from './api-keys.repository';

const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly clock: Clock,
  ) {}

  /** Creates a key and returns its plaintext, the only time anyone sees it. */
  async create(actor: UserPrincipal, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= this.clock.now().getTime()) throw validationError('expiresAt', 'must be in the future');
    // 62^8 prefixes make a collision very unlikely; retrying covers it rather than failing.
    for (let attempt = 1; ; attempt++) {
      const generated = generateApiKey();
      try {
        const row = await this.keys.insert({
          name: dto.name.trim(),
          keyPrefix: generated.prefix,
          keyHash: generated.hash,
          scopes: [...dto.scopes],
          createdBy: actor.userId,
          expiresAt,
        });
        return { ...toApiKeyDto(row), key: generated.key };
      } catch (err) {
        if (attempt >= 3 || pgError(err)?.code !== PG_UNIQUE_VIOLATION) throw err;
      }
    }
  }

  async list(): Promise<ApiKeyDto[]> {
    return (await this.keys.list()).map(toApiKeyDto);
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.keys.findById(id))) {
      throw new AppError(AuthErrors.ApiKeyNotFound, `API key ${id} not found`, [{ field: 'id', problem: 'no such API key' }]);
    }
    await this.keys.revoke(id, this.clock.now());
  }

  /** The principal of a presented key, or 401: malformed, unknown, wrong secret, revoked or expired. */
  async authenticate(presented: string): Promise<ApiKeyPrincipal> {
    const parsed = parseApiKey(presented.trim());
    const row = parsed && (await this.keys.findByPrefixWithHash(parsed.prefix));
    if (!parsed || !row || !secretMatches(parsed.secret, row.keyHash)) throw unauthenticated('invalid API key');
    const now = this.clock.now();
    if (row.revokedAt) throw unauthenticated('API key revoked');
    if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) throw unauthenticated('API key expired');
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) await this.keys.touch(row.id, now);
    return { kind: 'api_key', keyId: row.id, name: row.name, scopes: row.scopes };
  }
}

function unauthenticated(message: string): AppError {
  return new AppError(CommonErrors.Unauthenticated, message, [{ field: 'x-api-key', problem: message }]);
}
