import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ROLES, Role } from '@fangxun/common';

/**
 * A person who logs in, with one role and the division that role is exercised in. The
 * password hash is never selected unless a query asks for it by name (login only).
 */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Lower-case login name; the table's check constraint holds the exact pattern. */
  @Column({ type: 'varchar', length: 64 }) username!: string;
  @Column({ name: 'display_name', type: 'varchar', length: 50 }) displayName!: string;
  /** scrypt PHC-style string (algorithm, parameters and salt included). */
  @Column({ name: 'password_hash', type: 'text', select: false }) passwordHash!: string;
  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role' }) role!: Role;
  @Column({ name: 'division_id', type: 'uuid' }) divisionId!: string;
  /** The responsibility holder this login belongs to, when there is one (wardens, cadres). */
  @Column({ name: 'holder_id', type: 'uuid', nullable: true }) holderId!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
