import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { AppError, CommonErrors } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { contactFileError } from './public-contact-file';

/** Boundaries and part headers around one file. */
const MULTIPART_SLACK = 64 * 1024;

/**
 * multer in memory for the one `file` field, limited by publicWarnings.importMaxBytes. A body
 * whose Content-Length already exceeds it is refused before a byte is read; either way 413 in
 * the common error body, other multipart mistakes 400 IMPORT_FILE_INVALID (like holder imports).
 */
@Injectable()
export class PublicContactFileInterceptor implements NestInterceptor {
  private readonly maxBytes: number;
  private readonly multer: NestInterceptor;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxBytes = config.publicWarnings.importMaxBytes;
    const Multer = FileInterceptor('file', {
      limits: { fileSize: this.maxBytes, files: 1, fields: 4, fieldSize: 1024, fieldNameSize: 100, parts: 6, headerPairs: 20 },
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const tooLarge = () => {
      const problem = `larger than ${this.maxBytes} bytes, the most one contact list may be`;
      return new AppError(CommonErrors.PayloadTooLarge, `file: ${problem}`, [{ field: 'file', problem }]);
    };
    if (Number(req.headers['content-length'] ?? 0) > this.maxBytes + MULTIPART_SLACK) throw tooLarge();
    try {
      return (await this.multer.intercept(context, next)) as Observable<unknown>;
    } catch (err) {
      if (err instanceof PayloadTooLargeException) throw tooLarge();
      if (err instanceof BadRequestException) throw contactFileError(`send one file, as the multipart field "file" (${err.message})`);
      throw err;
    }
  }
}
