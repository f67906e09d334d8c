import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppError, CommonErrors, ErrorDetail, ErrorKind } from '@fangxun/common';
import { PG_UNIQUE_VIOLATION, pgError, uniqueKeyColumns } from '@fangxun/database';

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
    // Always JSON, whatever a route set for its success (the link page's text/html, CAP's XML).
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
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
    const fromDatabase = databaseErrorKind(error);
    if (fromDatabase) return { ...fromDatabase, correlationId };
    const status = httpErrorStatus(error);
    if (status) {
      // Express and its body readers throw http-errors (a path that will not decode, an aborted body).
      const kind = STATUS_KINDS[status] ?? { code: `HTTP_${status}`, status };
      const message = status === 400 ? 'the request could not be read' : `request refused (${status})`;
      return { statusCode: status, code: kind.code, message, details: [{ field: '(request)', problem: message }], correlationId };
    }
    return { statusCode: 500, code: CommonErrors.Internal.code, message: 'internal error', details: [], correlationId };
  }
}

/** A 4xx status carried by an http-errors error (Express, body-parser, multer), or undefined. */
function httpErrorStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 && e?.expose === true ? status : undefined;
}

/**
 * A PostgreSQL error that slipped past validation: the caller's fault only for values the
 * column refuses (wrong text form, bad bytes, NULL into NOT NULL, a CHECK, too long, out of
 * range) — then 400 naming the column or constraint, never the SQL — or for a value another
 * record already holds (a unique violation: 409 naming the key's columns, not their values).
 * Anything else stays a 500.
 */
const CALLER_FAULT_SQLSTATES: Record<string, string> = {
  '22P02': 'has the wrong form for its type',
  '22021': 'contains bytes that are not valid text',
  '22001': 'is too long',
  '22003': 'is out of range',
  '23502': 'is required',
  '23514': 'breaks a rule of the register',
};

function databaseErrorKind(error: unknown): Omit<ErrorBody, 'correlationId'> | undefined {
  const driver = pgError(error);
  if (driver?.code === PG_UNIQUE_VIOLATION) return uniqueViolation(driver.detail, driver.constraint);
  const problem = driver?.code ? CALLER_FAULT_SQLSTATES[driver.code] : undefined;
  if (!problem) return undefined;
  const field = driver?.column ? toCamel(driver.column) : (driver?.constraint ?? '(input)');
  return {
    statusCode: 400,
    code: CommonErrors.Validation.code,
    message: `${field}: ${problem}`,
    details: [{ field, problem }],
  };
}

function uniqueViolation(detail: string | undefined, constraint: string | undefined): Omit<ErrorBody, 'correlationId'> {
  const fields = uniqueKeyColumns(detail)?.map(toCamel) ?? [constraint ?? '(input)'];
  const problem = fields.length > 1 ? `this combination (${fields.join(', ')}) already exists` : 'already exists';
  return {
    statusCode: 409,
    code: CommonErrors.Conflict.code,
    message: `${fields.join(', ')}: ${problem}`,
    details: fields.map((field) => ({ field, problem })),
  };
}

function toCamel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Terminus's 503 body lists failing checks; they become details so the body keeps one shape. */
function readinessDetails(response: unknown): ErrorDetail[] {
  const error = (response as { error?: Record<string, { message?: string }> })?.error;
  return error ? Object.entries(error).map(([field, v]) => ({ field, problem: v?.message ?? 'down' })) : [];
}
