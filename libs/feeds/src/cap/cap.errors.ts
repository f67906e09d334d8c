import { AppError, CommonErrors, ErrorKind } from '@fangxun/common';

/** Error kinds of CAP reading and writing; every one names the offending element or field. */
export const CapErrors = {
  /** Refused before parsing: DOCTYPE, entity declarations, too deep, too many references. */
  UnsafeXml: { code: 'CAP_UNSAFE_XML', status: 400 },
  MalformedXml: { code: 'CAP_MALFORMED_XML', status: 400 },
  /** Well-formed, but not a CAP 1.2 alert (root, namespace, a missing or bad element). */
  Invalid: { code: 'CAP_INVALID', status: 400 },
} satisfies Record<string, ErrorKind>;

export function capInvalid(field: string, problem: string): AppError {
  return new AppError(CapErrors.Invalid, `${field}: ${problem}`, [{ field, problem }]);
}

export function unsafeXml(problem: string): AppError {
  return new AppError(CapErrors.UnsafeXml, `XML refused: ${problem}`, [{ field: '(body)', problem }]);
}

export function capTooLarge(maxBytes: number): AppError {
  return new AppError(CommonErrors.PayloadTooLarge, `CAP XML larger than ${maxBytes} bytes`, [
    { field: '(body)', problem: `larger than ${maxBytes} bytes` },
  ]);
}
