import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the suite's databases live: TEST_DATABASE_URL, else what scripts/ensure-db wrote, else the local default. */
export function testDatabaseUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const envFile = join(__dirname, '../../.data/db.env');
  if (existsSync(envFile)) {
    const line = readFileSync(envFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('TEST_DATABASE_URL='));
    if (line) return line.slice('TEST_DATABASE_URL='.length).trim();
  }
  return 'postgres://postgres@127.0.0.1:5432/fangxun_test';
}

/** The same server, another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, '');
}

/**
 * Databases of one jest run carry the run's process id, so that two runs on one machine
 * (two developers' terminals, a watch mode) never drop each other's databases.
 */
export function runDatabaseName(baseUrl: string, runId: string, worker?: string | number): string {
  return `${databaseName(baseUrl)}_r${runId}${worker === undefined ? '' : `_w${worker}`}`;
}
