import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * A machine client's key. Only the public prefix and a SHA-256 of the secret part are stored;
 * the plaintext key is shown once, when it is created. The hash is read by one query only.
 */
export interface ApiKeyRow {
  id: string;
  name: string;
  /** 8 base62 characters, unique: how a presented key finds its row. */
  keyPrefix: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export type NewApiKeyRow = Pick<ApiKeyRow, 'name' | 'keyPrefix' | 'scopes' | 'createdBy' | 'expiresAt'> & { keyHash: Buffer };

const COLUMNS = `id, name, key_prefix as "keyPrefix", scopes, created_by as "createdBy", created_at as "createdAt",
  expires_at as "expiresAt", revoked_at as "revokedAt", last_used_at as "lastUsedAt"`;

/** Named queries over the api_keys table. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insert(row: NewApiKeyRow, m?: EntityManager): Promise<ApiKeyRow> {
    const [created]: ApiKeyRow[] = await (m ?? this.ds).query(
      `insert into api_keys (name, key_prefix, key_hash, scopes, created_by, expires_at)
       values ($1, $2, $3, $4::text[], $5, $6) returning ${COLUMNS}`,
      [row.name, row.keyPrefix, row.keyHash, row.scopes, row.createdBy, row.expiresAt],
    );
    return created;
  }

  /** The one read that includes the secret's hash: authentication. */
  async findByPrefixWithHash(prefix: string): Promise<(ApiKeyRow & { keyHash: Buffer }) | null> {
    const rows: Array<ApiKeyRow & { keyHash: Buffer }> = await this.ds.query(
      `select ${COLUMNS}, key_hash as "keyHash" from api_keys where key_prefix = $1`,
      [prefix],
    );
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<ApiKeyRow | null> {
    const rows: ApiKeyRow[] = await this.ds.query(`select ${COLUMNS} from api_keys where id = $1`, [id]);
    return rows[0] ?? null;
  }

  list(): Promise<ApiKeyRow[]> {
    return this.ds.query(`select ${COLUMNS} from api_keys order by created_at desc, id asc`);
  }

  /** Sets revoked_at once; revoking twice keeps the first time. True when this call revoked it. */
  async revoke(id: string, at: Date, m?: EntityManager): Promise<boolean> {
    // Wrapped in a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count] (always 2 long).
    const rows: unknown[] = await (m ?? this.ds).query(
      'with u as (update api_keys set revoked_at = $2 where id = $1 and revoked_at is null returning id) select id from u',
      [id, at],
    );
    return rows.length > 0;
  }

  /**
   * Records use at most once a minute per key: the condition in SQL means replicas that all
   * saw a stale value still write only once.
   */
  async touch(id: string, at: Date): Promise<void> {
    await this.ds.query(
      `update api_keys set last_used_at = $2 where id = $1 and (last_used_at is null or last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  }
}
