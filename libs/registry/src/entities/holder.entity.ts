import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const HOLDER_ROLES = [
  'city_leader',
  'town_head',
  'town_deputy',
  'town_liaison',
  'village_head',
  'village_cadre',
  'patroller',
  'flash_flood_warner',
  'geo_hazard_observer',
  'shelter_manager',
  'dilapidated_house_liaison',
] as const;
export type HolderRole = (typeof HOLDER_ROLES)[number];

/**
 * A responsibility holder's appointment: a person in a role at a division for a year, with
 * the superior they answer to (the 包保 chain that escalation climbs) and a named backup.
 */
@Entity('responsibility_holders')
export class HolderEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 50 }) name!: string;
  @Column({ type: 'enum', enum: HOLDER_ROLES, enumName: 'holder_role' }) role!: HolderRole;
  @Column({ name: 'division_id', type: 'uuid' }) divisionId!: string;
  /** Primary mobile, E.164 (+86…): the number wake-up calls and SMS go to. */
  @Column({ type: 'varchar', length: 16 }) mobile!: string;
  @Column({ name: 'other_phones', type: 'varchar', length: 16, array: true, default: () => "'{}'" }) otherPhones!: string[];
  @Column({ name: 'superior_id', type: 'uuid', nullable: true }) superiorId!: string | null;
  @Column({ name: 'backup_id', type: 'uuid', nullable: true }) backupId!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @Column({ name: 'appointed_year', type: 'smallint', nullable: true }) appointedYear!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
