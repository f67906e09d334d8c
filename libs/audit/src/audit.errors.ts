import type { ErrorKind } from '@fangxun/common';

export const AuditErrors = {
  /** `from` after `to` in an audit query. */
  BadTimeRange: { code: 'AUDIT_BAD_TIME_RANGE', status: 400 },
} satisfies Record<string, ErrorKind>;
