import { DataSource } from 'typeorm';
import { loadConfig } from '@fangxun/config';
import { dataSourceOptions, postgisVersion, runMigrationsLocked } from '@fangxun/database';

/** Applies pending migrations under the advisory lock; safe to run from several hosts at once. */
async function main(): Promise<void> {
  const ds = new DataSource(dataSourceOptions(loadConfig()));
  await ds.initialize();
  try {
    const ran = await runMigrationsLocked(ds);
    console.log(ran.length ? `applied: ${ran.map((m) => m.name).join(', ')}` : 'schema is up to date');
    console.log(`PostGIS ${await postgisVersion(ds)}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
