import { AppError, CommonErrors } from './app-error';

/** A page of results and the opaque cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CursorValue = string | number | null;

/**
 * Keyset pagination cursors: the sort key and id of the last row, base64url-encoded. Opaque
 * to clients; a cursor from another sort order is refused.
 */
export function encodeCursor(sort: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ s: sort, v: values }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, arity: number): CursorValue[] {
  const fail = (problem: string) => new AppError(CommonErrors.InvalidCursor, `invalid cursor: ${problem}`, [{ field: 'cursor', problem }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw fail('not a cursor returned by this API');
  }
  const p = parsed as { s?: unknown; v?: unknown };
  if (!p || typeof p !== 'object' || !Array.isArray(p.v) || p.v.length !== arity) throw fail('not a cursor returned by this API');
  if (p.s !== sort) throw fail(`cursor was made for sort "${String(p.s)}", not "${sort}"`);
  if (!p.v.every((x) => x === null || typeof x === 'string' || typeof x === 'number')) throw fail('malformed values');
  return p.v as CursorValue[];
}
