import { AppError, CommonErrors } from '@fangxun/common';

/** The upload as a whole cannot be imported (400 IMPORT_FILE_INVALID, platform's tabular files); `details` names `file`. */
export { tableFileError as fileError } from '@fangxun/platform';

/** More data rows than one import takes: 413, like a file over the byte limit, because both say "too big, split it". */
export function tooManyRows(dataRows: number, maxRows: number): AppError {
  const problem = `${dataRows} rows; one import takes at most ${maxRows}: split the file`;
  return new AppError(CommonErrors.PayloadTooLarge, `file: ${problem}`, [{ field: 'file', problem }]);
}

/** The file is larger than the upload limit (multer stopped reading it, or Content-Length said so). */
export function fileTooLarge(maxBytes: number): AppError {
  const problem = `larger than ${formatBytes(maxBytes)}, the most one upload may be`;
  return new AppError(CommonErrors.PayloadTooLarge, `file: ${problem}`, [{ field: 'file', problem }]);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}
