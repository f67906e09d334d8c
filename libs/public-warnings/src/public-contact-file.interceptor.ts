import { AppError, CommonErrors } from '@fangxun/common';
import { SingleFileInterceptor } from '@fangxun/platform';
import { contactFileError } from './public-contact-file';

/** A contact list upload: one `file`, at most publicWarnings.importMaxBytes; other multipart mistakes 400 IMPORT_FILE_INVALID. */
export const PublicContactFileInterceptor = SingleFileInterceptor({
  maxBytes: (c) => c.publicWarnings.importMaxBytes,
  tooLarge: (max) => {
    const problem = `larger than ${max} bytes, the most one contact list may be`;
    return new AppError(CommonErrors.PayloadTooLarge, `file: ${problem}`, [{ field: 'file', problem }]);
  },
  invalid: contactFileError,
});
