import { Column, CreateDateColumn, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { HolderEntity } from './holder.entity';

/** Who is on duty (值班) at the city HQ or a town on a date: the leader on shift and the officers. */
@Entity('duty_rosters')
export class DutyRosterEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'duty_date', type: 'date' }) dutyDate!: string;
  @Column({ name: 'division_id', type: 'uuid' }) divisionId!: string;
  @Column({ name: 'leader_id', type: 'uuid' }) leaderId!: string;
  @Column({ name: 'duty_phone', type: 'varchar', length: 16, nullable: true }) dutyPhone!: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) notes!: string | null;
  @ManyToMany(() => HolderEntity)
  @JoinTable({ name: 'duty_roster_officers', joinColumn: { name: 'roster_id' }, inverseJoinColumn: { name: 'holder_id' } })
  officers!: HolderEntity[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
