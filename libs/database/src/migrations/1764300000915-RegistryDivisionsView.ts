import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * registry's divisions as the registry exports them to other libraries' SQL (issue 15): the
 * scope and ancestry columns (code, name, level, parent, ltree path) and the boundary, and the
 * boundaries' ≤ 256-vertex parts (for GiST probes). Other libraries join `registry_divisions`
 * and `registry_division_parts`, never the tables, so registry may change them behind the views. A plain view: PostgreSQL inlines it, indexes and plans are those
 * of the table. Read-only for others; registry alone writes its tables.
 */
export class RegistryDivisionsView1764300000915 implements MigrationInterface {
  name = 'RegistryDivisionsView1764300000915';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create view registry_divisions as
        select id, code, name, level, parent_id, path, boundary, boundary_synthetic from divisions`);
    await q.query('create view registry_division_parts as select division_id, level, geom from division_boundary_parts');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop view registry_division_parts');
    await q.query('drop view registry_divisions');
  }
}
