import type { ErrorKind } from '@fangxun/common';

export const EvacuationErrors = {
  HouseholdNotFound: { code: 'HOUSEHOLD_NOT_FOUND', status: 404 },
  HouseholdImportFile: { code: 'HOUSEHOLD_IMPORT_FILE_INVALID', status: 400 },
  TransferOrderNotFound: { code: 'TRANSFER_ORDER_NOT_FOUND', status: 404 },
  TransferOrderClosed: { code: 'TRANSFER_ORDER_CLOSED', status: 409 },
  TransferOrderEmpty: { code: 'TRANSFER_ORDER_EMPTY', status: 422 },
  TransferTaskNotFound: { code: 'TRANSFER_TASK_NOT_FOUND', status: 404 },
  TransferTaskClosed: { code: 'TRANSFER_TASK_CLOSED', status: 409 },
  ReturnBeforeLift: { code: 'RETURN_BEFORE_LIFT', status: 409 },
  ReportIdReused: { code: 'REPORT_ID_REUSED', status: 409 },
} satisfies Record<string, ErrorKind>;
