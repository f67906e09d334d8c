import { DataSource, Migration } from 'typeorm';

/** Fixed key of the session-level advisory lock that serialises migrations across processes. */
export const MIGRATION_LOCK_KEY = 331082_0001;

export class PostgisMissingError extends Error {}

/**
 * Refuses to go on without PostGIS: every place in Fangxun is a geometry, so a database
 * without it is a misconfiguration to stop at, not something to limp along with.
 */
export async function assertPostgisAvailable(ds: DataSource): Promise<void> {
  const rows: Array<{ name: string }> = await ds.query(`select name from pg_available_extensions where name in ('postgis', 'ltree')`);
  const have = new Set(rows.map((r) => r.name));
  const missing = ['postgis', 'ltree'].filter((n) => !have.has(n));
  if (missing.length) {
    const db = (ds.options as { database?: string }).database ?? 'the database';
    throw new PostgisMissingError(
      `PostgreSQL extension(s) ${missing.join(', ')} not available to ${db}. ` +
        "Run scripts/ensure-db, which installs Debian's postgresql-<major>-postgis-3.",
    );
  }
}

/** Checks that PostGIS is installed in this database (after migrations). */
export async function postgisVersion(ds: DataSource): Promise<string> {
  try {
    const [row] = (await ds.query('select postgis_lib_version() as v')) as Array<{ v: string }>;
    return row.v;
  } catch {
    throw new PostgisMissingError('PostGIS is not installed in this database: run the migrations (npm run migration:run).');
  }
}

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so that several
 * api/worker processes starting together migrate once; the others wait, then find nothing
 * to do. Each migration runs in its own transaction.
 */
export async function runMigrationsLocked(ds: DataSource): Promise<Migration[]> {
  await assertPostgisAvailable(ds);
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await ds.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
