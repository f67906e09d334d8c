import type { ErrorKind } from '@fangxun/common';

/** Errors of orders (指令) and the 1833 sheet chains. */
export const ResponseOrderErrors = {
  OrderNotFound: { code: 'ORDER_NOT_FOUND', status: 404 },
  OrderTargetNotFound: { code: 'ORDER_TARGET_NOT_FOUND', status: 404 },
  OrderTargetCompleted: { code: 'ORDER_TARGET_COMPLETED', status: 409 },
  OrderNoRecipients: { code: 'ORDER_NO_RECIPIENTS', status: 422 },
  NotOrderRecipient: { code: 'NOT_ORDER_RECIPIENT', status: 403 },
  SheetChainNotFound: { code: 'SHEET_CHAIN_NOT_FOUND', status: 404 },
  SheetChainState: { code: 'SHEET_CHAIN_STATE', status: 409 },
} satisfies Record<string, ErrorKind>;
