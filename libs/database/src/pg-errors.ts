import { QueryFailedError } from 'typeorm';

/** The PostgreSQL error fields Fangxun maps to client errors. */
export interface PgErrorInfo {
  code: string;
  constraint?: string;
  detail?: string;
  column?: string;
}

export function pgError(err: unknown): PgErrorInfo | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const driver = err.driverError as { code?: string; constraint?: string; detail?: string; column?: string };
  return driver?.code ? { code: driver.code, constraint: driver.constraint, detail: driver.detail, column: driver.column } : undefined;
}

export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';

/**
 * The columns of a unique violation's key, from its detail `Key (a, b)=(1, 2) already exists.`
 * (the values are not returned: they may be a phone number). Undefined when the key is an
 * expression (`Key (lower(name))=…`) or the detail is missing.
 */
export function uniqueKeyColumns(detail: string | undefined): string[] | undefined {
  const m = /^Key \(([^()]*)\)=\(/.exec(detail ?? '');
  return m ? m[1].split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : undefined;
}
