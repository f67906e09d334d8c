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
import { fileError, fileTooLarge } from './import-errors';

/** Boundaries and part headers around one file; a body larger than file limit + this cannot fit. */
const MULTIPART_SLACK = 64 * 1024;

/** The upload as the import route receives it (multer's memory storage). */
export interface UploadedImport {
  buffer: Buffer;
  size: number;
  originalname: string;
}

/**
 * multer in memory for the one `file` field, with the limit from config. A body whose
 * Content-Length already exceeds the limit is refused before a byte is read; a chunked one is
 * cut off by multer at the limit. Either way the answer is a 413 in the common error body,
 * and Node/multer discard (not buffer) the rest of the body, so the client reads the answer
 * instead of a reset connection.
 */
@Injectable()
export class HolderFileInterceptor implements NestInterceptor {
  private readonly maxBytes: number;
  private readonly multer: NestInterceptor;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxBytes = config.http.uploadMaxBytes;
    const Multer = FileInterceptor('file', {
      limits: { fileSize: this.maxBytes, files: 1, fields: 4, fieldSize: 1024, fieldNameSize: 100, parts: 6, headerPairs: 20 },
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.maxBytes + MULTIPART_SLACK) throw fileTooLarge(this.maxBytes);
    try {
      return (await this.multer.intercept(context, next)) as Observable<unknown>;
    } catch (err) {
      if (err instanceof PayloadTooLargeException) throw fileTooLarge(this.maxBytes);
      if (err instanceof BadRequestException) throw fileError(`send one file, as the multipart field "file" (${err.message})`);
      throw err;
    }
  }
}
