import { SingleFileInterceptor } from '@fangxun/platform';
import { fileError, fileTooLarge } from './import-errors';

export type { UploadedImport } from '@fangxun/platform';

/** The holder list upload: one `file`, at most http.uploadMaxBytes. */
export const HolderFileInterceptor = SingleFileInterceptor({
  maxBytes: (c) => c.http.uploadMaxBytes,
  tooLarge: fileTooLarge,
  invalid: fileError,
});
