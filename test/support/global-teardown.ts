import { Client } from 'pg';
import { databaseName, testDatabaseUrl, withDatabase } from './test-db';

/** Drops this run's databases. */
export default async function globalTeardown(): Promise<void> {
  const baseUrl = testDatabaseUrl();
  const admin = new Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await admin.connect();
  try {
    const prefix = `${databaseName(baseUrl)}_r${process.env.FANGXUN_TEST_RUN}`;
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await admin.end();
  }
}
