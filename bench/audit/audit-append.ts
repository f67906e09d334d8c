/**
 * Bench: what the audit log costs.
 * 1. The registry import of 5,349 holders through the real HTTP API, with the audit log (one
 *    row per created holder, one INSERT) and without it (AuditService.appendMany made a no-op in
 *    this process), alternating, each into an emptied holder table: seconds, ratio, µs per row.
 * 2. One audit row per small transaction (the single-write case: head lock, hash, INSERT,
 *    head UPDATE) against the same transaction without it: µs per write.
 * 3. GET /audit/verify over the whole chain: seconds and rows/s.
 * Prints figures; it is not a test.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/audit/audit-append.ts
 *
 * Database: `fangxun_bench_audit` on the server of DATABASE_URL / .data/db.env, made afresh,
 * migrated at boot, dropped at the end (KEEP_BENCH_DB keeps it).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../libs/auth/src/login/scrypt-hash';
import { useFreshBenchDatabase } from '../support/bench-db';
import { generatedTree, holderRows } from '../support/holder-file';

const ROWS = 5349;
const ROUNDS = 3;
const SINGLE_WRITES = 500;
const PASSWORD = 'bench-password-not-secret';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

async function main(): Promise<void> {
  const bench = await useFreshBenchDatabase('fangxun_bench_audit');
  process.env.PORT = '0';
  // Imported only now: the config is read from the environment set above.
  const { createHttpApp } = await import('@fangxun/platform');
  const { APP_CONFIG } = await import('@fangxun/config');
  const { AuditService, systemActor } = await import('@fangxun/audit');
  const { ApiModule } = await import('../../apps/api/src/api.module');
  const app = await createHttpApp(ApiModule);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
  const ds = app.get<DataSource>(getDataSourceToken());
  const audit = app.get(AuditService);
  const realAppendMany = audit.appendMany.bind(audit);
  try {
    const tree = generatedTree();
    for (const d of tree) {
      await ds.query(
        `insert into divisions (code, name, level, parent_id, path)
         select $1::text, $2::text, $3::division_level, p.id, coalesce(p.path || $1::text, $1::text::ltree)
         from (select 1) x left join divisions p on p.code = $4`,
        [d.code, d.name, d.level, d.parent],
      );
    }
    await ds.query(
      `insert into users (username, display_name, password_hash, role, division_id)
       select 'bench-commander', 'bench', $1, 'commander', id from divisions where code = '331082'`,
      [await hashPassword(PASSWORD, { costLog2: 12, blockSize: 8, parallelization: 1 })],
    );
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'bench-commander', password: PASSWORD }),
    });
    const auth = { Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    const prefix = app.get<{ seed: { fakePhonePrefix: string } }>(APP_CONFIG).seed.fakePhonePrefix.replace('+86', '');
    const csv = Buffer.from(
      holderRows(tree, ROWS, prefix)
        .map((r) => r.join(','))
        .join('\r\n') + '\r\n',
    );
    const importOnce = async () => {
      // One DELETE (self-references checked at its end); TRUNCATE … CASCADE would take the users with it.
      await ds.query('delete from responsibility_holders');
      // Without it every run inserts next to the dead rows of the last ones and gets slower.
      await ds.query('vacuum analyze responsibility_holders');
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'holders.csv');
      const [res, took] = await timed(() => fetch(`${base}/holders/import`, { method: 'POST', headers: auth, body: form }));
      const body = (await res.json()) as { inserted: number };
      if (res.status !== 200 || body.inserted !== ROWS) throw new Error(`import: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return took;
    };

    const withAudit: number[] = [];
    const without: number[] = [];
    await importOnce(); // warm-up (plans, JIT, caches)
    for (let i = 0; i < ROUNDS; i++) {
      audit.appendMany = async () => undefined;
      without.push(await importOnce());
      audit.appendMany = realAppendMany;
      withAudit.push(await importOnce());
    }
    const [a, b] = [median(withAudit), median(without)];
    console.log(`audit bench: holder import of ${ROWS} rows over HTTP, median of ${ROUNDS} after a warm-up (each into an emptied table)`);
    console.log(`  without audit   ${(b / 1000).toFixed(2)} s`);
    console.log(`  with audit      ${(a / 1000).toFixed(2)} s   (${ROWS} audit rows, one INSERT)`);
    console.log(`  ratio           ${(a / b).toFixed(2)}x   audit cost ${(((a - b) * 1000) / ROWS).toFixed(1)} µs per holder`);

    // The audit part alone: the import's 5,349 rows through appendMany (hashing, one INSERT, head).
    const entries = (await ds.query('select id, name, role, mobile, active from responsibility_holders')) as Array<Record<string, unknown>>;
    const appendAlone = async () => {
      const [, took] = await timed(() =>
        ds.transaction((m) =>
          audit.appendMany(
            m,
            entries.map((h) => ({
              actor: systemActor('bench'),
              action: 'holder.import_create',
              entity: 'holder',
              entityId: String(h.id),
              after: h,
            })),
          ),
        ),
      );
      return took;
    };
    await appendAlone();
    const alone = median([await appendAlone(), await appendAlone(), await appendAlone()]);
    console.log(
      `  appendMany alone ${(alone / 1000).toFixed(2)} s for ${entries.length} rows   ${((alone * 1000) / entries.length).toFixed(1)} µs per row ` +
        `(${((alone / b) * 100).toFixed(1)} % of the import without audit)`,
    );

    // Single writes: one small change per transaction, with and without its audit row.
    const [{ id: holderId }] = await ds.query('select id from responsibility_holders limit 1');
    const change = (i: number, withRow: boolean) =>
      ds.transaction(async (m) => {
        await m.query('update responsibility_holders set appointed_year = $2 where id = $1', [holderId, 2000 + (i % 20)]);
        if (withRow) {
          await audit.append(m, {
            actor: systemActor('bench'),
            action: 'holder.update',
            entity: 'holder',
            entityId: holderId,
            before: { appointedYear: 2000 + ((i + 19) % 20) },
            after: { appointedYear: 2000 + (i % 20) },
          });
        }
      });
    const series = async (withRow: boolean) => {
      const [, took] = await timed(async () => {
        for (let i = 0; i < SINGLE_WRITES; i++) await change(i, withRow);
      });
      return (took * 1000) / SINGLE_WRITES;
    };
    await series(true);
    const bare = median([await series(false), await series(false), await series(false)]);
    const audited = median([await series(true), await series(true), await series(true)]);
    console.log(`single writes: ${SINGLE_WRITES} transactions of one UPDATE, median of 3`);
    console.log(`  bare            ${bare.toFixed(0)} µs per transaction`);
    console.log(
      `  with audit row  ${audited.toFixed(0)} µs per transaction   (+${(audited - bare).toFixed(0)} µs, ratio ${(audited / bare).toFixed(2)}x)`,
    );

    const [report, took] = await timed(async () => {
      const res = await fetch(`${base}/audit/verify`, { headers: auth });
      return (await res.json()) as { ok: boolean; rows: number };
    });
    console.log(
      `verify: ${report.rows} rows, ok=${report.ok}, ${(took / 1000).toFixed(2)} s over HTTP, ${Math.round(report.rows / (took / 1000))} rows/s`,
    );
  } finally {
    audit.appendMany = realAppendMany;
    await app.close();
    await bench.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
