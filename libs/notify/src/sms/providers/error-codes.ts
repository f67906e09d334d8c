import type { FailureClass } from '../sms.types';

/**
 * Provider error codes → what the sender does. Aliyun's list is the one in
 * test/fixtures/sms/aliyun/error-codes.json (from the official error-code page); Tencent's are
 * prefixes of the documented 2021-01-11 codes, matched by prefix so that the official example's
 * misspelt `FailedOperation.TemplateParamSetNotMatchApprovedTemplat` is still a template fault.
 * A code we do not know is retryable: a later attempt (or the next provider) decides.
 */
const ALIYUN: Record<string, FailureClass> = {
  'isv.BUSINESS_LIMIT_CONTROL': 'throttled',
  Throttling: 'throttled',
  'Throttling.User': 'throttled',
  'Throttling.Api': 'throttled',
  'isp.SYSTEM_ERROR': 'retryable',
  InternalError: 'retryable',
  ServiceUnavailable: 'retryable',
  'isp.RAM_PERMISSION_DENY': 'permanent',
  'isv.OUT_OF_SERVICE': 'permanent',
  'isv.PRODUCT_UN_SUBSCRIPT': 'permanent',
  'isv.PRODUCT_UNSUBSCRIBE': 'permanent',
  'isv.ACCOUNT_NOT_EXISTS': 'permanent',
  'isv.ACCOUNT_ABNORMAL': 'permanent',
  'isv.SMS_TEMPLATE_ILLEGAL': 'permanent',
  'isv.SMS_SIGNATURE_ILLEGAL': 'permanent',
  'isv.INVALID_PARAMETERS': 'permanent',
  'isv.MOBILE_NUMBER_ILLEGAL': 'permanent',
  'isv.MOBILE_COUNT_OVER_LIMIT': 'permanent',
  'isv.TEMPLATE_MISSING_PARAMETERS': 'permanent',
  'isv.INVALID_JSON_PARAM': 'permanent',
  'isv.BLACK_KEY_CONTROL_LIMIT': 'permanent',
  'isv.PARAM_LENGTH_LIMIT': 'permanent',
  'isv.PARAM_NOT_SUPPORT_URL': 'permanent',
  'isv.AMOUNT_NOT_ENOUGH': 'permanent',
  SignatureDoesNotMatch: 'permanent',
  'InvalidAccessKeyId.NotFound': 'permanent',
  SignatureNonceUsed: 'retryable',
};

export function classifyAliyun(code: string): FailureClass {
  return ALIYUN[code] ?? 'retryable';
}

const TENCENT: Array<[string, FailureClass]> = [
  ['LimitExceeded.', 'throttled'],
  ['RequestLimitExceeded', 'throttled'],
  ['InternalError', 'retryable'],
  ['FailedOperation.TemplateParamSetNotMatchApprovedTemplat', 'permanent'],
  ['FailedOperation.', 'permanent'],
  ['InvalidParameterValue.', 'permanent'],
  ['InvalidParameter', 'permanent'],
  ['MissingParameter', 'permanent'],
  ['UnauthorizedOperation.', 'permanent'],
  ['UnsupportedOperation.', 'permanent'],
  ['AuthFailure', 'permanent'],
];

export function classifyTencent(code: string): FailureClass {
  return TENCENT.find(([prefix]) => code.startsWith(prefix))?.[1] ?? 'retryable';
}
