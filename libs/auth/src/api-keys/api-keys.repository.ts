import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';

export type NewApiKeyRow = Pick<ApiKeyEntity, 'name' | 'keyPrefix' | 'keyHash' | 'scopes' | 'createdBy' | 'expiresAt'>;

/** Named queries over the api_keys table. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async insert(row: NewApiKeyRow): Promise<ApiKeyEntity> {
    const { identifiers } = await this.keys.insert(row);
    return this.keys.findOneByOrFail({ id: (identifiers[0] as { id: string }).id });
  }

  /** The one read that includes the secret's hash: authentication. */
  findByPrefixWithHash(prefix: string): Promise<ApiKeyEntity | null> {
    return this.keys.createQueryBuilder('k').addSelect('k.keyHash').where('k.keyPrefix = :prefix', { prefix }).getOne();
  }

  findById(id: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ id });
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.keys.find({ order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Sets revoked_at once; revoking twice keeps the first time. */
  async revoke(id: string, at: Date): Promise<void> {
    await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }

  /**
   * Records use at most once a minute per key: the condition in SQL means replicas that all
   * saw a stale value still write only once.
   */
  async touch(id: string, at: Date): Promise<void> {
    await this.keys.query(
      `update api_keys set last_used_at = $2 where id = $1 and (last_used_at is null or last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  }
}
