import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, CommonErrors, ErrorDetail } from '@fangxun/common';
import { pathParamProblem } from './request-params';
import { MAX_REPORTED_PROBLEMS, requestShapeProblems } from './request-shape';

/**
 * Flattens class-validator's tree into `{field: 'a.b[2].c', problem}` pairs, iteratively (a wide
 * or deep tree must not overflow the stack) and in the tree's order, stopping after `limit` (by
 * default the 50 an error body lists: services that validate nested parts themselves stay bounded too).
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = '', limit = MAX_REPORTED_PROBLEMS): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const stack: Array<{ e: ValidationError; prefix: string }> = [];
  for (let i = errors.length - 1; i >= 0; i--) stack.push({ e: errors[i], prefix });
  while (stack.length && out.length < limit) {
    const { e, prefix: p } = stack.pop()!;
    const field = /^\d+$/.test(e.property) ? `${p}[${e.property}]` : p ? `${p}.${e.property}` : e.property;
    for (const problem of Object.values(e.constraints ?? {})) {
      if (out.length >= limit) break;
      out.push({ field, problem: problem.replace(/^\S+ /, (w) => (w.trim() === e.property ? '' : w)) });
    }
    const children = e.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ e: children[i], prefix: field });
  }
  return out;
}

/** Counts every constraint failure in the tree (iteratively), for "… and N more". */
function countProblems(errors: ValidationError[]): number {
  let n = 0;
  const stack = [...errors];
  while (stack.length) {
    const e = stack.pop()!;
    n += Object.keys(e.constraints ?? {}).length;
    if (e.children) for (const c of e.children) stack.push(c);
  }
  return n;
}

/** One 400 listing at most MAX_REPORTED_PROBLEMS problems; the message says how many there were. */
export function validationFailure(details: ErrorDetail[], total = details.length): AppError {
  const listed = details.slice(0, MAX_REPORTED_PROBLEMS);
  const head = listed.map((d) => `${d.field}: ${d.problem}`).join('; ');
  const message = total > listed.length ? `${head}; and ${total - listed.length} more problems` : head || 'invalid input';
  return new AppError(CommonErrors.Validation, message, listed.length ? listed : [{ field: '(body)', problem: 'must be a JSON object' }]);
}

/**
 * Nest's ValidationPipe with Fangxun's rules: unknown fields are refused (not silently
 * dropped), values are converted only where a DTO says so, and every failure comes back as
 * one 400 naming each bad field (the first MAX_REPORTED_PROBLEMS of them).
 *
 * Before class-validator sees anything, the pipe bounds the work: path parameters are checked
 * against their documented pattern (NUL, lone surrogates and length too), and a body or query
 * object is walked along its DTO's metadata for over-long arrays, unknown keys and arrays
 * where an object belongs (see requestShapeProblems) — class-validator would validate every
 * item of a 500,000-item array before noticing the array is too long.
 */
export class FangxunValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      stopAtFirstError: false,
      exceptionFactory: (errors) => validationFailure(flattenValidationErrors(errors, '', MAX_REPORTED_PROBLEMS), countProblems(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param') this.checkParams(value, metadata.data);
    if ((metadata.type === 'body' || metadata.type === 'query') && typeof metadata.metatype === 'function' && this.isDto(metadata)) {
      const problems = requestShapeProblems(value, metadata.metatype as never);
      if (problems.length) throw validationFailure(problems);
    }
    return super.transform(value, metadata);
  }

  private isDto(metadata: ArgumentMetadata): boolean {
    return !!metadata.metatype && this.toValidate(metadata);
  }

  /** `@Param('code')` gives one string, `@Param()` the whole object: each named value is checked. */
  private checkParams(value: unknown, name: string | undefined): void {
    const entries: Array<[string, unknown]> =
      name !== undefined ? [[name, value]] : value && typeof value === 'object' ? Object.entries(value) : [];
    for (const [k, v] of entries) {
      const problem = pathParamProblem(k, v);
      if (problem) throw validationFailure([problem]);
    }
  }
}

export function createValidationPipe(): ValidationPipe {
  return new FangxunValidationPipe();
}
