import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS, runMigrationsLocked } from '@fangxun/database';
import { TABLE_OWNERS } from '../architecture/table-ownership';
import { testDatabaseUrl, withDatabase } from '../support/test-db';

/** Every migration goes up on an empty database, all the way down, and up again. */
describe('migrations', () => {
  const name = `fangxun_migrations_${process.pid}`;
  const url = withDatabase(testDatabaseUrl(), name);
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: withDatabase(testDatabaseUrl(), 'postgres') });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  });
  afterAll(async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  const tables = async (ds: DataSource) =>
    (
      (await ds.query(
        `select tablename from pg_tables where schemaname = 'public' and tablename not in ('spatial_ref_sys', 'schema_migrations') order by 1`,
      )) as Array<{ tablename: string }>
    ).map((r) => r.tablename);

  it('go up, down to nothing and up again; running twice at once applies each once', async () => {
    const a = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS, migrationsTableName: 'schema_migrations' });
    const b = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS, migrationsTableName: 'schema_migrations' });
    await Promise.all([a.initialize(), b.initialize()]);
    const [ranA, ranB] = await Promise.all([runMigrationsLocked(a), runMigrationsLocked(b)]);
    expect(ranA.length + ranB.length).toBe(MIGRATIONS.length);
    // Exactly the tables the ownership map declares (test/architecture/table-ownership.ts): one list to keep.
    expect(await tables(a)).toEqual(Object.values(TABLE_OWNERS).flat().sort());
    const [{ srid }] = await a.query(`select find_srid('public', 'divisions', 'boundary') as srid`);
    expect(srid).toBe(4326);
    const [{ n }] = await a.query(
      `select count(*)::int as n from pg_indexes where indexname = 'divisions_boundary_gist' and indexdef ilike '%gist%'`,
    );
    expect(n).toBe(1);
    for (let i = 0; i < MIGRATIONS.length; i++) await a.undoLastMigration();
    expect(await tables(a)).toEqual([]);
    expect(await runMigrationsLocked(a)).toHaveLength(MIGRATIONS.length);
    expect(await runMigrationsLocked(a)).toHaveLength(0);
    await Promise.all([a.destroy(), b.destroy()]);
  });
});
