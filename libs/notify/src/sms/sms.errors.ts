import { AppError, ErrorKind } from '@fangxun/common';

export const SmsErrors = {
  CallbackForged: { code: 'SMS_CALLBACK_UNVERIFIED', status: 401 },
  CallbackMalformed: { code: 'SMS_CALLBACK_MALFORMED', status: 400 },
  UnknownProvider: { code: 'SMS_UNKNOWN_PROVIDER', status: 404 },
  BadMessage: { code: 'SMS_BAD_MESSAGE', status: 400 },
} satisfies Record<string, ErrorKind>;

export function callbackForged(provider: string): AppError {
  return new AppError(SmsErrors.CallbackForged, `callback for ${provider} could not be verified`, [
    { field: 'signature', problem: 'missing or wrong token / signature' },
  ]);
}
