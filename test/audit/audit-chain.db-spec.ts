import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditApiModule, AuditModule, AuditService, AuditVerifyService, systemActor } from '@fangxun/audit';
import { ConfigModule } from '@fangxun/config';
import { DatabaseModule } from '@fangxun/database';

/**
 * The chain on real PostgreSQL: parallel writers, a row edited or removed behind the app's back
 * (by a superuser who disables the trigger on purpose) found by verify, and the app's own
 * connection refused UPDATE, DELETE and TRUNCATE.
 */
describe('audit chain', () => {
  let ctx: INestApplicationContext;
  let ds: DataSource;
  let audit: AuditService;
  let verifier: AuditVerifyService;

  beforeAll(async () => {
    const mod = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(), DatabaseModule, AuditModule, AuditApiModule],
    }).compile();
    ctx = await mod.init();
    ds = ctx.get<DataSource>(getDataSourceToken());
    audit = ctx.get(AuditService);
    verifier = ctx.get(AuditVerifyService);
  });
  afterAll(() => ctx.close());

  const appendOne = (entityId: string) =>
    ds.transaction((tx) =>
      audit.append(tx, { actor: systemActor('test'), action: 'probe.write', entity: 'probe', entityId, after: { n: entityId } }),
    );

  /** As a superuser, on purpose: triggers off for this transaction only. */
  const behindTheAppsBack = (sql: string, args: unknown[] = []) =>
    ds.transaction(async (tx) => {
      await tx.query(`set local session_replication_role = replica`);
      await tx.query(sql, args);
    });

  it('20 concurrent transactions append one unforked, gapless chain that verifies', async () => {
    const [{ seq: before }] = await ds.query('select seq::text as seq from audit_head');
    // Each writer keeps its transaction open after appending, so without the head lock they would
    // all read the same tail and fork the chain.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ds.transaction(async (tx) => {
          await audit.appendMany(tx, [
            { actor: systemActor('test'), action: 'probe.write', entity: 'probe', entityId: `p${i}a`, after: { i } },
            { actor: systemActor('test'), action: 'probe.write', entity: 'probe', entityId: `p${i}b`, after: { i } },
          ]);
          await tx.query('select pg_sleep(0.02)');
        }),
      ),
    );
    const rows: Array<{ seq: string; prev_hash: string; hash: string }> = await ds.query(
      'select seq::text as seq, prev_hash, hash from audit_log where seq > $1 order by audit_log.seq',
      [before],
    );
    expect(rows).toHaveLength(40);
    rows.forEach((r, i) => expect(BigInt(r.seq)).toBe(BigInt(before) + BigInt(i + 1)));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const [{ forks }] = await ds.query('select count(*) - count(distinct prev_hash) as forks from audit_log');
    expect(Number(forks)).toBe(0);
    const report = await verifier.verify();
    expect(report).toMatchObject({ ok: true, firstBadSeq: null, problem: null });
    expect(report.rows).toBeGreaterThanOrEqual(40);
  });

  it('a row edited by a superuser with the trigger off is named by verify; restored, the chain verifies again', async () => {
    for (let i = 0; i < 5; i++) await appendOne(`t${i}`);
    const [target] = await ds.query(`select seq::text as seq, after from audit_log where entity_id = 't2' order by seq desc limit 1`);
    await behindTheAppsBack(`update audit_log set after = '{"n":"forged"}' where seq = $1`, [target.seq]);
    expect(await verifier.verify()).toMatchObject({ ok: false, firstBadSeq: target.seq, problem: 'hash_mismatch' });
    await behindTheAppsBack(`update audit_log set after = $2 where seq = $1`, [target.seq, JSON.stringify(target.after)]);
    expect(await verifier.verify()).toMatchObject({ ok: true });
  });

  it('a row deleted from the middle, and a row cut from the tail, are found', async () => {
    for (let i = 0; i < 3; i++) await appendOne(`d${i}`);
    const [mid] = await ds.query(`select * from audit_log where entity_id = 'd1' order by seq desc limit 1`);
    await behindTheAppsBack('delete from audit_log where seq = $1', [mid.seq]);
    expect(await verifier.verify()).toMatchObject({ ok: false, firstBadSeq: String(BigInt(mid.seq) + 1n), problem: 'missing_rows' });
    const cols = Object.keys(mid);
    await behindTheAppsBack(`insert into audit_log (${cols.join(', ')}) select * from jsonb_populate_record(null::audit_log, $1::jsonb)`, [
      JSON.stringify(mid),
    ]);
    expect(await verifier.verify()).toMatchObject({ ok: true });

    const [tail] = await ds.query('select * from audit_log order by seq desc limit 1');
    await behindTheAppsBack('delete from audit_log where seq = $1', [tail.seq]);
    expect(await verifier.verify()).toMatchObject({ ok: false, firstBadSeq: tail.seq, problem: 'head_mismatch' });
    await behindTheAppsBack(`insert into audit_log (${cols.join(', ')}) select * from jsonb_populate_record(null::audit_log, $1::jsonb)`, [
      JSON.stringify(tail),
    ]);
    expect(await verifier.verify()).toMatchObject({ ok: true });
  });

  it("the app's connection is refused UPDATE, DELETE and TRUNCATE (the trigger holds even for a superuser)", async () => {
    await appendOne('r1');
    await expect(ds.query(`update audit_log set action = 'x' where entity_id = 'r1'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(ds.query(`delete from audit_log where entity_id = 'r1'`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(ds.query('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await verifier.verify()).toMatchObject({ ok: true });
  });

  it('a non-superuser role owning the table (as the app in production) lacks the UPDATE and DELETE privileges', async () => {
    const role = `fangxun_audit_probe_${process.pid}`;
    const [{ owner }] = await ds.query(`select tableowner as owner from pg_tables where tablename = 'audit_log'`);
    await ds.query(`create role ${role} nologin nosuperuser`);
    await ds.query(`alter table audit_log owner to ${role}`);
    try {
      const attempt = (sql: string) =>
        ds.transaction(async (tx) => {
          await tx.query(`set local role ${role}`);
          await tx.query(sql);
        });
      await expect(attempt(`update audit_log set action = 'x'`)).rejects.toThrow(/permission denied for table audit_log/);
      await expect(attempt('delete from audit_log')).rejects.toThrow(/permission denied for table audit_log/);
      await expect(attempt('truncate audit_log')).rejects.toThrow(/permission denied for table audit_log/);
      // It may still read and append (the chain's writer needs no more).
      await attempt('select count(*) from audit_log');
    } finally {
      await ds.query(`alter table audit_log owner to "${owner}"`);
      await ds.query(`drop owned by ${role}`);
      await ds.query(`drop role ${role}`);
    }
  });

  it('refuses to append outside a transaction (the row must commit with its change)', async () => {
    await expect(
      audit.append(ds.manager, { actor: systemActor('test'), action: 'probe.write', entity: 'probe', entityId: 'x' }),
    ).rejects.toThrow(/open transaction/);
  });
});
