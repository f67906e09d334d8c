import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { inTransaction } from '@fangxun/database';
import { testDatabaseUrl, withDatabase } from '../support/test-db';

/** The one transaction helper: commit, rollback on error, dry run, isolation level. */
describe('inTransaction', () => {
  const name = `fangxun_tx_${process.pid}`;
  let admin: Client;
  let ds: DataSource;

  beforeAll(async () => {
    admin = new Client({ connectionString: withDatabase(testDatabaseUrl(), 'postgres') });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
    ds = new DataSource({ type: 'postgres', url: withDatabase(testDatabaseUrl(), name) });
    await ds.initialize();
    await ds.query('create table notes (body text not null)');
  });
  afterAll(async () => {
    await ds?.destroy();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  beforeEach(() => ds.query('truncate notes'));

  const bodies = async () => ((await ds.query('select body from notes order by body')) as Array<{ body: string }>).map((r) => r.body);

  it('commits the work and returns its result', async () => {
    const out = await inTransaction(ds, async (m) => {
      await m.query(`insert into notes values ('a'), ('b')`);
      return 'done';
    });
    expect(out).toBe('done');
    expect(await bodies()).toEqual(['a', 'b']);
  });

  it('rolls everything back and rethrows the error untouched when the work fails', async () => {
    const boom = new Error('boom');
    await expect(
      inTransaction(ds, async (m) => {
        await m.query(`insert into notes values ('a')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await bodies()).toEqual([]);
  });

  it('a dry run (rollback) returns the result and keeps nothing', async () => {
    const out = await inTransaction(
      ds,
      async (m) => {
        await m.query(`insert into notes values ('a')`);
        return ((await m.query('select count(*)::int as n from notes')) as Array<{ n: number }>)[0].n;
      },
      { rollback: true },
    );
    expect(out).toBe(1);
    expect(await bodies()).toEqual([]);
  });

  it('runs at the isolation level asked for, else the default', async () => {
    const level = (o?: Parameters<typeof inTransaction>[2]) =>
      inTransaction(ds, async (m) => ((await m.query('show transaction_isolation')) as Array<{ transaction_isolation: string }>)[0], o);
    expect(await level()).toEqual({ transaction_isolation: 'read committed' });
    expect(await level({ isolation: 'SERIALIZABLE' })).toEqual({ transaction_isolation: 'serializable' });
  });
});
