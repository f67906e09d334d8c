import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppError, CommonErrors, ErrorDetail, ErrorKind } from '@fangxun/common';

/** Codes for errors raised by Nest or Express themselves (not by our modules), by status. */
const STATUS_KINDS: Record<number, ErrorKind> = {
  400: { code: 'BAD_REQUEST', status: 400 },
  401: CommonErrors.Unauthenticated,
  403: CommonErrors.Forbidden,
  404: CommonErrors.NotFound,
  405: { code: 'METHOD_NOT_ALLOWED', status: 405 },
  409: CommonErrors.Conflict,
  413: CommonErrors.PayloadTooLarge,
  415: CommonErrors.UnsupportedMediaType,
  422: CommonErrors.Unprocessable,
  429: CommonErrors.TooManyRequests,
  503: CommonErrors.NotReady,
};

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: ErrorDetail[];
  correlationId: string;
}

/**
 * The single place where failures become HTTP responses: an AppError keeps its code and
 * details, Nest/Express errors get the common code of their status, anything else is a 500
 * whose internals are logged, never sent.
 */
@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const req = host.switchToHttp().getRequest<Request & { id?: string }>();
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(error, String(req.id ?? ''));
    if (body.statusCode >= 500 && body.statusCode !== 503) {
      this.logger.error({ err: error, correlationId: body.correlationId }, 'unhandled error');
    }
    if (res.headersSent) return;
    if (body.statusCode === 429) res.setHeader('Retry-After', res.getHeader('Retry-After') ?? '60');
    // A body too large is not read to its end: the connection closes after the answer.
    if (body.statusCode === 413) res.setHeader('Connection', 'close');
    res.status(body.statusCode).json(body);
  }

  private toBody(error: unknown, correlationId: string): ErrorBody {
    if (error instanceof AppError) {
      return { statusCode: error.status, code: error.code, message: error.message, details: error.details, correlationId };
    }
    if (error instanceof ThrottlerException) {
      return {
        statusCode: 429,
        code: CommonErrors.TooManyRequests.code,
        message: 'too many requests, try again later',
        details: [],
        correlationId,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const kind = STATUS_KINDS[status] ?? { code: `HTTP_${status}`, status };
      const response = error.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
      const details = status === 503 ? readinessDetails(response) : [];
      return {
        statusCode: status,
        code: kind.code,
        message: Array.isArray(message) ? message.join('; ') : String(message),
        details,
        correlationId,
      };
    }
    return { statusCode: 500, code: CommonErrors.Internal.code, message: 'internal error', details: [], correlationId };
  }
}

/** Terminus's 503 body lists failing checks; they become details so the body keeps one shape. */
function readinessDetails(response: unknown): ErrorDetail[] {
  const error = (response as { error?: Record<string, { message?: string }> })?.error;
  return error ? Object.entries(error).map(([field, v]) => ({ field, problem: v?.message ?? 'down' })) : [];
}
