import { DataSource } from 'typeorm';
import { loadConfig } from '@fangxun/config';
import { dataSourceOptions } from '@fangxun/database';

/**
 * The DataSource the TypeORM CLI uses to generate migrations: every entity of every lib.
 * Generated SQL is a draft: read it, fix it, and keep spatial DDL (GiST indexes) by hand.
 */
export default new DataSource(dataSourceOptions(loadConfig(), [`${__dirname}/../libs/*/src/**/*.entity.ts`]));
