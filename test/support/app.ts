import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createHttpApp } from '@fangxun/platform';
import { ApiModule } from '../../apps/api/src/api.module';

export interface TestApp {
  app: INestApplication;
  ds: DataSource;
  http: ReturnType<INestApplication['getHttpServer']>;
  close(): Promise<void>;
}

/** Boots the real API exactly as production does (same bootstrap), on this worker's database. */
export async function bootApi(): Promise<TestApp> {
  const app = await createHttpApp(ApiModule);
  await app.init();
  const ds = app.get<DataSource>(getDataSourceToken());
  return { app, ds, http: app.getHttpServer(), close: () => app.close() };
}

/** Empties every table our migrations made (not PostGIS's), so each file starts clean. */
export async function truncateAll(ds: DataSource): Promise<void> {
  const rows: Array<{ t: string }> = await ds.query(
    `select quote_ident(tablename) as t from pg_tables where schemaname = 'public'
       and tablename not in ('schema_migrations', 'spatial_ref_sys')`,
  );
  if (rows.length) await ds.query(`truncate ${rows.map((r) => r.t).join(', ')} restart identity cascade`);
}
