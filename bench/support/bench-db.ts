import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** The server the benchmarks use: DATABASE_URL, else what scripts/ensure-db wrote, else the local default. */
export function serverUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const env = join(__dirname, '../../.data/db.env');
  const line = existsSync(env)
    ? readFileSync(env, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('DATABASE_URL='))
    : undefined;
  return line ? line.slice('DATABASE_URL='.length).trim() : 'postgres://postgres@127.0.0.1:5432/fangxun';
}

/** The same server, another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one statement on the server's maintenance database (create/drop the bench database). */
export async function onServer(url: string, statement: string): Promise<void> {
  const c = new Client({ connectionString: withDatabase(url, 'postgres') });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

/**
 * A fresh database `name` on the usual server for one benchmark, made the app's database
 * (DATABASE_URL, migrated at boot), with a JWT secret and quiet logs unless set; `drop()`
 * removes it at the end unless KEEP_BENCH_DB is set.
 */
export async function useFreshBenchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = serverUrl();
  const url = withDatabase(server, name);
  await onServer(server, `drop database if exists ${name} with (force)`);
  await onServer(server, `create database ${name}`);
  process.env.DATABASE_URL = url;
  process.env.DATABASE_MIGRATE_ON_BOOT = 'true';
  process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
  process.env.LOG_LEVEL ??= 'error';
  return {
    url,
    drop: async () => {
      if (!process.env.KEEP_BENCH_DB) await onServer(server, `drop database if exists ${name} with (force)`);
    },
  };
}
