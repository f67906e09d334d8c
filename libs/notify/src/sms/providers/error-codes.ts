import type { FailureClass } from '../sms.types';

/**
 * Provider error codes → what the sender does. Aliyun's list is the one in
 * test/fixtures/sms/aliyun/error-codes.json (from the official error-code page); Tencent's are
 * prefixes of the documented 2021-01-11 codes, matched by prefix so that the official example's
 * misspelt `FailedOperation.TemplateParamSetNotMatchApprovedTemplat` is still a template fault.
 * A code we do not know is retryable: a later attempt (or the next provider) decides.
 */
const ALIYUN: Record<string, FailureClass> = {
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

/**
 * `isv.BUSINESS_LIMIT_CONTROL` is Aliyun's per-number flow control for minute, hour and day
 * alike; only the message says which ("触发分钟级流控Permits:1", "触发小时级流控Permits:5",
 * "触发天级流控Permits:10"). The hour and day limits are final for our purpose (a wake-up cannot
 * wait an hour: phone the person); the minute limit is a throttle (retry, next provider).
 */
const ALIYUN_NUMBER_LIMIT = /天级|日级|小时级|day|hour/i;

export function classifyAliyun(code: string, message = ''): FailureClass {
  if (code === 'isv.BUSINESS_LIMIT_CONTROL') return ALIYUN_NUMBER_LIMIT.test(message) ? 'capped' : 'throttled';
  return ALIYUN[code] ?? 'retryable';
}

/**
 * Tencent's per-number limits (SendStatusSet[].Code, 2021-01-11 error list): daily, one hour,
 * same content per day → capped; thirty seconds and the console's frequency policy → throttled.
 * The application-wide daily quotas (AppDailyLimit, DailyLimit, App…DailyLimit) stop this
 * provider for every number: throttled, so the next provider takes over.
 */
const TENCENT: Array<[string, FailureClass]> = [
  ['LimitExceeded.PhoneNumberDailyLimit', 'capped'],
  ['LimitExceeded.PhoneNumberOneHourLimit', 'capped'],
  ['LimitExceeded.PhoneNumberSameContentDailyLimit', 'capped'],
  ['LimitExceeded.PhoneNumberThirtySecondLimit', 'throttled'],
  ['LimitExceeded.DeliveryFrequencyLimit', 'throttled'],
  ['LimitExceeded.PhoneNumberCountLimit', 'permanent'],
  ['LimitExceeded.AppCountryOrRegionInBlacklist', 'permanent'],
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
