import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@fangxun/config';
import { MIGRATIONS } from './migrations';

/**
 * Connection options shared by the apps, the scripts and the tests. Schema changes are
 * migrations only: synchronize stays off everywhere.
 */
export function dataSourceOptions(config: AppConfig, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    poolSize: config.database.poolSize,
    extra: {
      statement_timeout: config.database.statementTimeoutMs,
      application_name: `fangxun-${process.env.FANGXUN_PROCESS ?? 'app'}`,
    },
  };
}
