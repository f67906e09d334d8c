import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';

export type NewApiKeyRow = Pick<ApiKeyEntity, 'name' | 'keyPrefix' | 'keyHash' | 'scopes' | 'createdBy' | 'expiresAt'>;

/** Named queries over the api_keys table. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async insert(row: NewApiKeyRow, m?: EntityManager): Promise<ApiKeyEntity> {
    const keys = this.repo(m);
    const { identifiers } = await keys.insert(row);
    return keys.findOneByOrFail({ id: (identifiers[0] as { id: string }).id });
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

  /** Sets revoked_at once; revoking twice keeps the first time. True when this call revoked it. */
  async revoke(id: string, at: Date, m?: EntityManager): Promise<boolean> {
    return ((await this.repo(m).update({ id, revokedAt: IsNull() }, { revokedAt: at })).affected ?? 0) > 0;
  }

  private repo(m?: EntityManager): Repository<ApiKeyEntity> {
    return m ? m.getRepository(ApiKeyEntity) : this.keys;
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
