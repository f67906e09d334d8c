/**
 * Bench: bulk import of 5,349 holders through the real HTTP API, then the holder list of one
 * town (with filters) through the API against the same query as one bare SQL statement.
 * Prints figures; it is not a test.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/registry/import-and-list.ts
 *
 * Database: BENCH_DATABASE_URL if set (used as it is: its division tree is kept when it has
 * one, and the holders are imported into it); otherwise `fangxun_bench` on the server of
 * DATABASE_URL / .data/db.env, dropped and created afresh, migrated at boot, dropped at the end.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { hashPassword } from '../../libs/auth/src/login/scrypt-hash';
import { onServer, serverUrl, withDatabase } from '../support/bench-db';
import { Division, generatedTree, holderRows } from '../support/holder-file';

const ROWS = 5349;
const LIST_RUNS = 200;
const WARMUP = 20;
const PASSWORD = 'bench-password-not-secret';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const given = process.env.BENCH_DATABASE_URL;
  const url = given ?? withDatabase(serverUrl(), 'fangxun_bench');
  if (!given) {
    await onServer(url, 'drop database if exists fangxun_bench with (force)');
    await onServer(url, 'create database fangxun_bench');
  }
  process.env.DATABASE_URL = url;
  process.env.DATABASE_MIGRATE_ON_BOOT = 'true';
  process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
  process.env.LOG_LEVEL ??= 'error';
  process.env.PORT = '0';
  // Imported only now: the config is read from the environment set above.
  const { createHttpApp } = await import('@fangxun/platform');
  const { APP_CONFIG } = await import('@fangxun/config');
  const { ApiModule } = await import('../../apps/api/src/api.module');
  const app = await createHttpApp(ApiModule);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
  const config = app.get<{ seed: { fakePhonePrefix: string } }>(APP_CONFIG);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const stored: Array<{ code: string; name: string; level: Division['level']; parent: string | null }> = await db
      .query(
        `select d.code, d.name, d.level, p.code as parent from divisions d left join divisions p on p.id = d.parent_id order by d.path`,
      )
      .then((r) => r.rows);
    const seeded = stored.some((d) => d.level === 'grid');
    const tree = seeded ? stored : generatedTree();
    if (!seeded) {
      for (const d of tree) {
        await db.query(
          `insert into divisions (code, name, level, parent_id, path)
           select $1::text, $2::text, $3::division_level, p.id, coalesce(p.path || $1::text, $1::text::ltree)
           from (select 1) x left join divisions p on p.code = $4 on conflict (code) do nothing`,
          [d.code, d.name, d.level, d.parent],
        );
      }
    }
    const city = tree.find((d) => d.level === 'city')!;
    await db.query(
      `insert into users (username, display_name, password_hash, role, division_id)
       select 'bench-commander', 'bench', $1, 'commander', id from divisions where code = $2
       on conflict (username) do update set password_hash = excluded.password_hash`,
      [await hashPassword(PASSWORD, { costLog2: 12, blockSize: 8, parallelization: 1 }), city.code],
    );
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'bench-commander', password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const auth = { Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };

    const rows = holderRows(tree, ROWS, config.seed.fakePhonePrefix.replace('+86', ''));
    const csv = Buffer.from(rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
    const upload = async (dryRun: boolean) => {
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'holders.csv');
      const res = await fetch(`${base}/holders/import?dryRun=${dryRun}`, { method: 'POST', headers: auth, body: form });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) throw new Error(`import: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const counts = (b: Record<string, unknown>) =>
      `inserted ${b.inserted}, updated ${b.updated}, unchanged ${b.unchanged}, rejected ${b.rejected}`;
    const levels = (l: string) => tree.filter((d) => d.level === l).length;
    console.log(
      `holder import + list bench: ${ROWS} rows, ${(csv.length / 1024).toFixed(0)} KiB CSV; tree ${seeded ? 'as seeded' : 'generated'}: ` +
        `${levels('town')} towns, ${levels('village')} villages, ${levels('grid')} grids`,
    );
    for (const [label, dryRun] of [
      ['dry run (rolled back)', true],
      ['import (committed)', false],
      ['re-import, same file', false],
    ] as const) {
      const [body, took] = await timed(() => upload(dryRun));
      console.log(`  ${label.padEnd(24)} ${(took / 1000).toFixed(2)} s  ${Math.round(ROWS / (took / 1000))} rows/s  (${counts(body)})`);
    }

    const town = tree.find((d) => d.level === 'town')!;
    const [{ path }] = (await db.query('select path::text as path from divisions where code = $1', [town.code])).rows as Array<{
      path: string;
    }>;
    const query = `divisionCode=${town.code}&role=flash_flood_warner&active=true&limit=50`;
    const api = async () => {
      const res = await fetch(`${base}/holders?${query}`, { headers: auth });
      if (res.status !== 200) throw new Error(`list: ${res.status}`);
      return ((await res.json()) as { items: unknown[] }).items.length;
    };
    // The statement HolderRepository.list runs for this filter (a page of 50 + 1 to know there is more).
    const sql = `
      select h.id, h.name, h.role, h.division_id as "divisionId", d.code as "divisionCode", d.name as "divisionName",
             d.path::text as "divisionPath", h.mobile, h.other_phones as "otherPhones",
             h.superior_id as "superiorId", s.name as "superiorName", s.role as "superiorRole", sd.code as "superiorDivisionCode",
             h.backup_id as "backupId", b.name as "backupName", b.role as "backupRole", bd.code as "backupDivisionCode",
             h.active, h.appointed_year as "appointedYear", h.created_at as "createdAt", h.updated_at as "updatedAt"
      from responsibility_holders h
      join divisions d on d.id = h.division_id
      left join responsibility_holders s on s.id = h.superior_id
      left join divisions sd on sd.id = s.division_id
      left join responsibility_holders b on b.id = h.backup_id
      left join divisions bd on bd.id = b.division_id
      where d.path <@ $1::ltree and h.role = any($2::holder_role[]) and h.active = $3
      order by h.name asc, h.id asc limit $4`;
    const raw = async () => (await db.query(sql, [path, ['flash_flood_warner'], true, 51])).rows.length;

    const measure = async (fn: () => Promise<number>) => {
      for (let i = 0; i < WARMUP; i++) await fn();
      const samples: number[] = [];
      let items = 0;
      for (let i = 0; i < LIST_RUNS; i++) {
        const [n, took] = await timed(fn);
        samples.push(took);
        items = n;
      }
      return { ...stats(samples), items };
    };
    const viaApi = await measure(api);
    const viaSql = await measure(raw);
    console.log(
      `list of ${town.code} (${town.name}), role=flash_flood_warner, active=true, limit 50; ${LIST_RUNS} runs after ${WARMUP} warm-up`,
    );
    console.log(`  API (HTTP, auth, scope, ORM)   p50 ${ms(viaApi.p50)}  p95 ${ms(viaApi.p95)}  (${viaApi.items} items)`);
    console.log(`  bare SQL (one statement, pg)   p50 ${ms(viaSql.p50)}  p95 ${ms(viaSql.p95)}  (${viaSql.items} rows)`);
    console.log(
      `  ratio API / SQL                p50 ${(viaApi.p50 / viaSql.p50).toFixed(1)}x  p95 ${(viaApi.p95 / viaSql.p95).toFixed(1)}x`,
    );
  } finally {
    await db.end();
    await app.close();
    if (!given) await onServer(url, 'drop database if exists fangxun_bench with (force)');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
