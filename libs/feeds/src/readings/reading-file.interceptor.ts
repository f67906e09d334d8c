import { AppError, CommonErrors } from '@fangxun/common';
import { SingleFileInterceptor } from '@fangxun/platform';

/** The readings back-fill upload: one `file`, at most http.uploadMaxBytes. */
export const ReadingFileInterceptor = SingleFileInterceptor({
  maxBytes: (c) => c.http.uploadMaxBytes,
  tooLarge: (max) => new AppError(CommonErrors.PayloadTooLarge, `file larger than ${max} bytes`, [{ field: 'file', problem: 'too large' }]),
  invalid: (message) =>
    new AppError(CommonErrors.Validation, message, [{ field: 'file', problem: 'send one file as the multipart field "file"' }]),
});
