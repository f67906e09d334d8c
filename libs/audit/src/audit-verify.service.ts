import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { AuditRepository, StoredAuditRow } from './audit.repository';
import { GENESIS_HASH, rowHash } from './audit-hash';

export type ChainProblem = 'hash_mismatch' | 'broken_link' | 'missing_rows' | 'head_mismatch';

export interface ChainReport {
  ok: boolean;
  /** Rows checked (up to the head read at the start; rows appended meanwhile wait for the next run). */
  rows: number;
  headSeq: string;
  /** The first row that does not check out (null when ok). */
  firstBadSeq: string | null;
  problem: ChainProblem | null;
  detail: string | null;
  elapsedMs: number;
}

/**
 * Walks the chain from the first row in batches (config `audit.verifyBatchRows`: memory bounded
 * by one batch) and stops at the first row whose hash does not match its content
 * (`hash_mismatch`: edited), whose prev_hash is not the previous row's hash (`broken_link`:
 * a row removed or inserted), or whose seq skips (`missing_rows`: deleted). Finally the last row
 * must be the head the writers locked (`head_mismatch`: rows cut from the tail).
 */
@Injectable()
export class AuditVerifyService {
  constructor(
    private readonly repo: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(): Promise<ChainReport> {
    const started = performance.now();
    // Head first: every row up to it is committed (the head moves in the rows' transaction).
    const head = await this.repo.head();
    const headSeq = BigInt(head.seq);
    let prevSeq = 0n;
    let prevHash = GENESIS_HASH;
    let rows = 0;
    const report = (bad: Omit<ChainReport, 'rows' | 'headSeq' | 'elapsedMs' | 'ok'> | null): ChainReport => ({
      ok: bad === null,
      rows,
      headSeq: head.seq,
      firstBadSeq: bad?.firstBadSeq ?? null,
      problem: bad?.problem ?? null,
      detail: bad?.detail ?? null,
      elapsedMs: Math.round(performance.now() - started),
    });
    while (prevSeq < headSeq) {
      const batch = await this.repo.batchAfter(prevSeq.toString(), this.config.audit.verifyBatchRows);
      for (const row of batch) {
        if (BigInt(row.seq) > headSeq) break;
        rows++;
        const bad = checkRow(row, prevSeq, prevHash);
        if (bad) return report({ firstBadSeq: row.seq, ...bad });
        prevSeq = BigInt(row.seq);
        prevHash = row.hash;
      }
      if (!batch.length || BigInt(batch[batch.length - 1]!.seq) >= headSeq) break;
    }
    if (prevSeq !== headSeq || prevHash !== head.hash) {
      return report({
        firstBadSeq: (prevSeq + 1n).toString(),
        problem: 'head_mismatch',
        detail: `the chain ends at seq ${prevSeq} but the head says seq ${head.seq}: rows after ${prevSeq} are gone or altered`,
      });
    }
    return report(null);
  }
}

function checkRow(row: StoredAuditRow, prevSeq: bigint, prevHash: string): { problem: ChainProblem; detail: string } | null {
  if (BigInt(row.seq) !== prevSeq + 1n) {
    return {
      problem: 'missing_rows',
      detail: `seq ${row.seq} follows seq ${prevSeq}: rows ${prevSeq + 1n}..${BigInt(row.seq) - 1n} are gone`,
    };
  }
  if (row.prevHash !== prevHash) return { problem: 'broken_link', detail: `prev_hash of seq ${row.seq} is not the hash of seq ${prevSeq}` };
  const { hash, ...fields } = row;
  if (rowHash(fields) !== hash)
    return { problem: 'hash_mismatch', detail: `seq ${row.seq}'s content does not match its hash: changed after it was written` };
  return null;
}
