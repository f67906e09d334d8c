import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * registry's divisions as the registry exports them to other libraries' SQL (issue 15): the
 * scope and ancestry columns (code, name, level, parent, ltree path) and the boundary. Other
 * libraries join `registry_divisions`, never the `divisions` table, so registry may change
 * its table behind this view. A plain view: PostgreSQL inlines it, indexes and plans are those
 * of the table. It is read-only for others; registry alone writes `divisions`.
 */
export class RegistryDivisionsView1764300000915 implements MigrationInterface {
  name = 'RegistryDivisionsView1764300000915';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create view registry_divisions as
        select id, code, name, level, parent_id, path, boundary, boundary_synthetic from divisions`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop view registry_divisions');
  }
}
