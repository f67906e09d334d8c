/** One field-level problem in an error body: which input was wrong and why. */
export interface ErrorDetail {
  field: string;
  problem: string;
}

/** A stable machine-readable error code and the HTTP status it maps to. */
export interface ErrorKind {
  code: string;
  status: number;
}

/**
 * The error every module throws for a failure the client should hear about. The global
 * filter turns it into `{statusCode, code, message, details, correlationId}`.
 */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return this.kind.status;
  }

  get code(): string {
    return this.kind.code;
  }
}

/** Error kinds shared by every module; each module adds its own in `x.errors.ts`. */
export const CommonErrors = {
  Validation: { code: 'VALIDATION_FAILED', status: 400 },
  InvalidJson: { code: 'INVALID_JSON', status: 400 },
  InvalidCursor: { code: 'INVALID_CURSOR', status: 400 },
  Unauthenticated: { code: 'UNAUTHENTICATED', status: 401 },
  Forbidden: { code: 'FORBIDDEN', status: 403 },
  OutOfScope: { code: 'OUT_OF_SCOPE', status: 403 },
  NotFound: { code: 'NOT_FOUND', status: 404 },
  Conflict: { code: 'CONFLICT', status: 409 },
  /** A geometry that is not valid (registry's division boundaries, geo's shapes and search areas). */
  InvalidGeometry: { code: 'INVALID_GEOMETRY', status: 400 },
  PayloadTooLarge: { code: 'PAYLOAD_TOO_LARGE', status: 413 },
  UnsupportedMediaType: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  Unprocessable: { code: 'UNPROCESSABLE', status: 422 },
  TooManyRequests: { code: 'TOO_MANY_REQUESTS', status: 429 },
  Internal: { code: 'INTERNAL', status: 500 },
  NotReady: { code: 'NOT_READY', status: 503 },
} satisfies Record<string, ErrorKind>;

export function notFound(what: string, field: string, value: string): AppError {
  return new AppError(CommonErrors.NotFound, `${what} ${value} not found`, [{ field, problem: `no ${what} ${value}` }]);
}

export function validationError(field: string, problem: string): AppError {
  return new AppError(CommonErrors.Validation, `${field}: ${problem}`, [{ field, problem }]);
}
