import { AppError, ErrorKind } from '@fangxun/common';

/**
 * One code for "this upload cannot be read as a table", whichever import it was sent to
 * (holders, public contacts, gauge readings), so one file problem reads one way.
 */
export const TableFileErrors = {
  Invalid: { code: 'IMPORT_FILE_INVALID', status: 400 },
} satisfies Record<string, ErrorKind>;

/** The upload as a whole cannot be imported (400 IMPORT_FILE_INVALID); `details` names `file`. */
export function tableFileError(problem: string): AppError {
  return new AppError(TableFileErrors.Invalid, `file: ${problem}`, [{ field: 'file', problem }]);
}
