import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A machine client's key. Only the public prefix and a SHA-256 of the secret part are
 * stored; the plaintext key is shown once, when it is created.
 */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  /** 8 base62 characters, unique: how a presented key finds its row. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 16 }) keyPrefix!: string;
  @Column({ name: 'key_hash', type: 'bytea', select: false }) keyHash!: Buffer;
  @Column({ type: 'text', array: true }) scopes!: string[];
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
}
