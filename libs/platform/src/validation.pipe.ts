import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, CommonErrors, ErrorDetail } from '@fangxun/common';

/** Flattens class-validator's tree into `{field: 'a.b[2].c', problem}` pairs. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    for (const problem of Object.values(e.constraints ?? {}))
      out.push({ field, problem: problem.replace(/^\S+ /, (w) => (w.trim() === e.property ? '' : w)) });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/**
 * Nest's ValidationPipe with Fangxun's rules: unknown fields are refused (not silently
 * dropped), values are converted only where a DTO says so, and every failure comes back as
 * one 400 naming each bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const message = details.length ? details.map((d) => `${d.field}: ${d.problem}`).join('; ') : 'invalid input';
      return new AppError(
        CommonErrors.Validation,
        message,
        details.length ? details : [{ field: '(body)', problem: 'must be a JSON object' }],
      );
    },
  });
}
