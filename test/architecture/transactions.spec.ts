import { librarySources } from './source-files';

/**
 * One transaction helper (issue 15): libraries open transactions with `inTransaction` from
 * @fangxun/database, never with TypeORM's `ds.transaction` / `manager.transaction` or a query
 * runner of their own. Only the helper itself and the migration runner touch query runners.
 */
const ALLOWED = ['libs/database/src/transaction.ts', 'libs/database/src/migration-runner.ts'];

const OPENS_TRANSACTION = /\.transaction\(|\bcreateQueryRunner\(|\bstartTransaction\(/;

describe('transactions', () => {
  it('are opened only through inTransaction (libs/database)', () => {
    const offenders = librarySources()
      .filter((f) => !ALLOWED.includes(f.path))
      .filter((f) => OPENS_TRANSACTION.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('the check sees a direct ds.transaction call', () => {
    expect(OPENS_TRANSACTION.test('return this.ds.transaction(async (m) => m.query(sql));')).toBe(true);
    expect(OPENS_TRANSACTION.test('return inTransaction(this.ds, async (m) => m.query(sql));')).toBe(false);
  });
});
