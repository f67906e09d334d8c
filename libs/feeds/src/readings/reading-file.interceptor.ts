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
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { AppError, CommonErrors } from '@fangxun/common';

/** multer in memory for one `file` field, limited by http.uploadMaxBytes; errors in the common body. */
@Injectable()
export class ReadingFileInterceptor implements NestInterceptor {
  private readonly maxBytes: number;
  private readonly multer: NestInterceptor;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxBytes = config.http.uploadMaxBytes;
    const Multer = FileInterceptor('file', { limits: { fileSize: this.maxBytes, files: 1, fields: 2, parts: 4, headerPairs: 20 } });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const tooLarge = () =>
      new AppError(CommonErrors.PayloadTooLarge, `file larger than ${this.maxBytes} bytes`, [{ field: 'file', problem: 'too large' }]);
    if (Number(req.headers['content-length'] ?? 0) > this.maxBytes + 64 * 1024) throw tooLarge();
    try {
      return (await this.multer.intercept(context, next)) as Observable<unknown>;
    } catch (err) {
      if (err instanceof PayloadTooLargeException) throw tooLarge();
      if (err instanceof BadRequestException) {
        throw new AppError(CommonErrors.Validation, err.message, [
          { field: 'file', problem: 'send one file as the multipart field "file"' },
        ]);
      }
      throw err;
    }
  }
}
