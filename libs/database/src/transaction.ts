import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

export type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

export interface TransactionOptions {
  /** PostgreSQL's default (READ COMMITTED) when absent. */
  isolation?: IsolationLevel;
  /**
   * Roll back instead of committing: a dry run runs the very same statements (and so meets the
   * same constraints and locks) and keeps nothing. The work's result is still returned.
   */
  rollback?: boolean;
}

/**
 * The one way the libraries open a transaction: `work` gets the transaction's EntityManager
 * (pass it to every repository call that must commit together) and its result is returned.
 * Commits when `work` resolves (or rolls back with `rollback`), rolls back when it throws and
 * rethrows the error untouched (callers translate database errors themselves). No retries:
 * nothing here runs at SERIALIZABLE, and a lost race is answered by each caller's own rule
 * (`on conflict`, `for update skip locked`, a 409).
 *
 * To take part in a caller's transaction instead, a method accepts the caller's manager and
 * calls `work(manager)` itself (`manager ? work(manager) : inTransaction(ds, work)`).
 */
export async function inTransaction<T>(
  ds: DataSource,
  work: (m: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const runner = ds.createQueryRunner();
  try {
    await runner.startTransaction(options.isolation);
    const result = await work(runner.manager);
    if (options.rollback) await runner.rollbackTransaction();
    else await runner.commitTransaction();
    return result;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await runner.release();
  }
}
