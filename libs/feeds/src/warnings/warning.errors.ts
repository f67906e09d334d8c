import { ErrorKind } from '@fangxun/common';

export const WarningErrors = {
  NotFound: { code: 'WARNING_NOT_FOUND', status: 404 },
  /** Ack and Error messages are answers between systems, not warnings: refused, nothing stored. */
  NotAWarning: { code: 'WARNING_NOT_A_WARNING', status: 422 },
  /** update/cancel of a warning that is no longer active. */
  NotActive: { code: 'WARNING_NOT_ACTIVE', status: 409 },
  /** update/cancel through the service works on our own warnings only (others' are changed by their sender). */
  NotOurs: { code: 'WARNING_NOT_OURS', status: 409 },
} satisfies Record<string, ErrorKind>;
