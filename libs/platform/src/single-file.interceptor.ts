import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  mixin,
  NestInterceptor,
  PayloadTooLargeException,
  Type,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { AppError } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { MULTIPART_SLACK } from './body-limits';

/** The upload as an import route receives it (multer's memory storage). */
export interface UploadedImport {
  buffer: Buffer;
  size: number;
  originalname: string;
}

export interface SingleFileOptions {
  /** The file size limit, from config. */
  maxBytes: (config: AppConfig) => number;
  /** The 413 (each import says what it limits). */
  tooLarge: (maxBytes: number) => AppError;
  /** The 400 for a malformed multipart body (each import has its own code). */
  invalid: (message: string) => AppError;
}

/**
 * An interceptor class for routes that take one uploaded file in the multipart field `file`:
 * multer in memory with the limit from config. A body whose Content-Length already exceeds the
 * limit is refused before a byte is read; a chunked one is cut off by multer at the limit. Either
 * way the answer is a 413 in the common error body, and Node/multer discard (not buffer) the
 * rest of the body, so the client reads the answer instead of a reset connection.
 */
export function SingleFileInterceptor(o: SingleFileOptions): Type<NestInterceptor> {
  @Injectable()
  class SingleFile implements NestInterceptor {
    private readonly maxBytes: number;
    private readonly multer: NestInterceptor;

    constructor(@Inject(APP_CONFIG) config: AppConfig) {
      this.maxBytes = o.maxBytes(config);
      const Multer = FileInterceptor('file', {
        limits: { fileSize: this.maxBytes, files: 1, fields: 4, fieldSize: 1024, fieldNameSize: 100, parts: 6, headerPairs: 20 },
      });
      this.multer = new Multer();
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const req = context.switchToHttp().getRequest<Request>();
      if (Number(req.headers['content-length'] ?? 0) > this.maxBytes + MULTIPART_SLACK) throw o.tooLarge(this.maxBytes);
      try {
        return (await this.multer.intercept(context, next)) as Observable<unknown>;
      } catch (err) {
        if (err instanceof PayloadTooLargeException) throw o.tooLarge(this.maxBytes);
        if (err instanceof BadRequestException) throw o.invalid(`send one file, as the multipart field "file" (${err.message})`);
        throw err;
      }
    }
  }
  return mixin(SingleFile);
}
