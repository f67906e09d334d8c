import type { AddressInfo } from 'node:net';
import type { INestApplication, Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Logger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { API_PREFIX, createHttpApp, prepareDatabase } from '@fangxun/platform';
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

/**
 * Empties every table our migrations made (not PostGIS's), so each file starts clean. The live
 * log keeps its ids growing, as in production: the app under test is usually booted already, and
 * its dispatcher's watermark (from the previous file's events in this worker's database) must not
 * end up ahead of the new ids — clients told that watermark would never be replayed the events
 * below it (this made the bad-network test lose 50 phones' calls when it ran after another file).
 * The audit log is left alone: it refuses TRUNCATE by design, and its chain only grows (audit
 * tests read their own rows, found by entity id or correlation id).
 */
export async function truncateAll(ds: DataSource): Promise<void> {
  const rows: Array<{ t: string }> = await ds.query(
    `select quote_ident(tablename) as t from pg_tables where schemaname = 'public'
       and tablename not in ('schema_migrations', 'spatial_ref_sys', 'realtime_events', 'audit_log', 'audit_head')`,
  );
  if (rows.length) await ds.query(`truncate ${rows.map((r) => r.t).join(', ')} restart identity cascade`);
  await ds.query('truncate realtime_events continue identity');
}

export interface BootOptions {
  /** Root modules (ApiModule, plus a worker's job module when a test drives it). */
  imports: Array<Type<unknown>>;
  /** Replaces the loaded configuration. */
  config?: AppConfig;
  /** Replaces every module's Clock (tests move time). */
  clock?: Clock;
  /** Listen on 127.0.0.1 on a free port (socket.io clients and provider pushes need one). */
  listen?: boolean;
  /** Extra providers (a worker job a test drives) and replaced ones (a recording stand-in). */
  providers?: Provider[];
  replace?: Array<{ token: unknown; value: unknown }>;
}

export interface CustomApp extends TestApp {
  /** http://127.0.0.1:<port> when listening. */
  url: string;
}

/**
 * The real app built like production (global prefix, our body reader, logger) from the given
 * modules, with config and clock replaced where a test needs it, on this worker's database.
 */
export async function bootCustom(o: BootOptions): Promise<CustomApp> {
  let builder = Test.createTestingModule({ imports: o.imports, providers: o.providers ?? [] });
  if (o.config) builder = builder.overrideProvider(APP_CONFIG).useValue(o.config);
  if (o.clock) builder = builder.overrideProvider(Clock).useValue(o.clock);
  for (const r of o.replace ?? []) builder = builder.overrideProvider(r.token).useValue(r.value);
  const app = (await builder.compile()).createNestApplication({ bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'ready', 'metrics'] });
  await prepareDatabase(app);
  let url = '';
  if (o.listen) {
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  } else {
    await app.init();
  }
  const ds = app.get<DataSource>(getDataSourceToken());
  return { app, ds, http: app.getHttpServer(), close: () => app.close(), url };
}
