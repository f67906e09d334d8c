import { MigrationInterface, QueryRunner } from 'typeorm';

/** PostGIS for every place, ltree for the division tree (scoping by subtree). */
export class Extensions1764300000000 implements MigrationInterface {
  name = 'Extensions1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('create extension if not exists postgis');
    await q.query('create extension if not exists ltree');
  }

  async down(): Promise<void> {
    // Extensions are shared with whatever else lives in the database; dropping them is an operator's call.
  }
}
