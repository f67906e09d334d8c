import type { AppConfig } from '@fangxun/config';
import type { AuditRepository, StoredAuditRow } from './audit.repository';
import { GENESIS_HASH, HashedRow, rowHash } from './audit-hash';
import { AuditVerifyService } from './audit-verify.service';

/** A chain of `n` rows in memory, served in batches like the repository does. */
function chain(n: number): StoredAuditRow[] {
  const rows: StoredAuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const row: HashedRow = {
      seq: String(i),
      at: '2026-07-01T08:00:00.000000Z',
      actorKind: 'system',
      actorId: 'system',
      actorName: 'test',
      role: null,
      action: 'probe.write',
      entity: 'probe',
      entityId: `p${i}`,
      before: null,
      after: { i },
      correlationId: null,
      incidentId: null,
      prevHash,
    };
    prevHash = rowHash(row);
    rows.push({ ...row, hash: prevHash });
  }
  return rows;
}

function verifierOver(rows: StoredAuditRow[], head = { seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash }) {
  const batches: number[] = [];
  const repo = {
    head: async () => head,
    batchAfter: async (after: string, limit: number) => {
      const out = rows.filter((r) => BigInt(r.seq) > BigInt(after)).slice(0, limit);
      batches.push(out.length);
      return out;
    },
  } as unknown as AuditRepository;
  const config = { audit: { verifyBatchRows: 100 } } as AppConfig;
  return { verifier: new AuditVerifyService(repo, config), batches };
}

describe('verify walks the chain in batches', () => {
  it('checks every row across batches of 100 and reads no more than one batch at a time', async () => {
    const { verifier, batches } = verifierOver(chain(250));
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 250, headSeq: '250' });
    expect(batches).toEqual([100, 100, 50]);
  });

  it('names the first edited row, even in a later batch', async () => {
    const rows = chain(250);
    rows[179] = { ...rows[179]!, after: { i: 'forged' } };
    rows[219] = { ...rows[219]!, actorName: 'forged too' };
    expect(await verifierOver(rows).verifier.verify()).toMatchObject({ ok: false, firstBadSeq: '180', problem: 'hash_mismatch' });
  });

  it('finds a removed row, a re-hashed row (broken link to its successor) and a cut tail', async () => {
    const gap = chain(250).filter((r) => r.seq !== '120');
    expect(await verifierOver(gap).verifier.verify()).toMatchObject({ ok: false, firstBadSeq: '121', problem: 'missing_rows' });

    const rehashed = chain(250);
    const { hash: _h, ...fields } = { ...rehashed[99]!, after: { i: 'forged' } };
    rehashed[99] = { ...fields, hash: rowHash(fields) };
    expect(await verifierOver(rehashed).verifier.verify()).toMatchObject({ ok: false, firstBadSeq: '101', problem: 'broken_link' });

    const full = chain(250);
    const cut = full.slice(0, 240);
    expect(await verifierOver(cut, { seq: '250', hash: full[249]!.hash }).verifier.verify()).toMatchObject({
      ok: false,
      firstBadSeq: '241',
      problem: 'head_mismatch',
    });
  });
});
