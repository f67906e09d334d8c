import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../libs/database/src/migrations';
import { databaseName, runDatabaseName, testDatabaseUrl, withDatabase } from './test-db';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes this run's template database (PostGIS + every migration) and one clone of it per
 * jest worker; cloning a migrated template takes ~100 ms where migrating takes seconds.
 * Databases left by runs whose process is gone (a killed run) are dropped on the way.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const baseUrl = testDatabaseUrl();
  const runId = String(process.pid);
  process.env.FANGXUN_TEST_RUN = runId; // inherited by the workers jest starts next
  const admin = new Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await admin.connect();
  try {
    const prefix = `${databaseName(baseUrl)}_r`;
    const stale: Array<{ datname: string }> = await admin
      .query('select datname from pg_database where starts_with(datname, $1)', [prefix])
      .then((r) => r.rows);
    for (const { datname } of stale) {
      const pid = Number(datname.slice(prefix.length).split('_')[0]);
      if (!alive(pid) || pid === process.pid) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    const template = runDatabaseName(baseUrl, runId);
    await admin.query(`create database "${template}"`);
    const ds = new DataSource({
      type: 'postgres',
      url: withDatabase(baseUrl, template),
      migrations: MIGRATIONS,
      migrationsTableName: 'schema_migrations',
    });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
    for (let w = 1; w <= Math.max(1, globalConfig.maxWorkers); w++) {
      await admin.query(`create database "${runDatabaseName(baseUrl, runId, w)}" template "${template}"`);
    }
  } finally {
    await admin.end();
  }
}
