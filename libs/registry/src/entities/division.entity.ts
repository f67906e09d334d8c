import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { GeometryColumn, MultiPolygon } from '@fangxun/database';

export const DIVISION_LEVELS = ['city', 'town', 'village', 'grid'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

/** One node of the division tree: the city, a town/street (镇街), a village (村/社区) or a grid (网格). */
@Entity('divisions')
export class DivisionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Official statistical code where one exists (331082001…), else our own (grids). */
  @Column({ type: 'varchar', length: 24 }) code!: string;
  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'enum', enum: DIVISION_LEVELS, enumName: 'division_level' }) level!: DivisionLevel;
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId!: string | null;
  /** ltree path of codes from the city down; scoping is a subtree test on it. */
  @Column({ type: 'ltree' }) path!: string;
  @GeometryColumn('MultiPolygon', { nullable: true }) boundary!: MultiPolygon | null;
  /** True where no official boundary exists and the seed derived a plausible one. */
  @Column({ name: 'boundary_synthetic', type: 'boolean', default: false }) boundarySynthetic!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
