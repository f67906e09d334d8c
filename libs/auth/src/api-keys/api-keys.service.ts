import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@fangxun/audit';
import { ApiKeyPrincipal, AppError, Clock, CommonErrors, UserPrincipal, validationError } from '@fangxun/common';
import { inTransaction, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { AuthErrors } from '../auth.errors';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-key.dto';
import { toApiKeyDto } from './api-key.mapper';
import { generateApiKey, parseApiKey, secretMatches } from './api-key-format';
import { ApiKeysRepository } from './api-keys.repository';

const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  /** Creates a key and returns its plaintext, the only time anyone sees it. */
  async create(actor: UserPrincipal, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= this.clock.now().getTime()) throw validationError('expiresAt', 'must be in the future');
    // 62^8 prefixes make a collision very unlikely; retrying covers it rather than failing.
    for (let attempt = 1; ; attempt++) {
      const generated = generateApiKey();
      try {
        const row = await inTransaction(this.ds, async (m) => {
          const created = await this.keys.insert(
            {
              name: dto.name.trim(),
              keyPrefix: generated.prefix,
              keyHash: generated.hash,
              scopes: [...dto.scopes],
              createdBy: actor.userId,
              expiresAt,
            },
            m,
          );
          const after = { name: created.name, keyPrefix: created.keyPrefix, scopes: created.scopes, expiresAt: created.expiresAt };
          await this.audit.append(m, { actor, action: 'api_key.create', entity: 'api_key', entityId: created.id, after });
          return created;
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

  async revoke(actor: UserPrincipal, id: string): Promise<void> {
    const key = await this.keys.findById(id);
    if (!key) {
      throw new AppError(AuthErrors.ApiKeyNotFound, `API key ${id} not found`, [{ field: 'id', problem: 'no such API key' }]);
    }
    const at = this.clock.now();
    await inTransaction(this.ds, async (m) => {
      // Revoking twice changes nothing the second time, and records nothing.
      if (!(await this.keys.revoke(id, at, m))) return;
      await this.audit.append(m, {
        actor,
        action: 'api_key.revoke',
        entity: 'api_key',
        entityId: id,
        before: { name: key.name, revokedAt: null },
        after: { name: key.name, revokedAt: at },
      });
    });
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
