import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Phone numbers as offices type them ("139 1234 5678", "+86-139…", "0576-85123456") become
 * E.164. `mobile` must be a Chinese mobile number: that is what SMS and wake-up calls reach.
 */
export function normalisePhone(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), 'CN');
  return parsed?.isValid() ? parsed.number : undefined;
}

export function isChineseMobile(e164: string): boolean {
  const parsed = parsePhoneNumberFromString(e164);
  return !!parsed && parsed.isValid() && parsed.country === 'CN' && parsed.getType() === 'MOBILE';
}

/** For class-transformer: normalise when it parses, otherwise leave the raw value for the validator to refuse. */
export const toE164 = ({ value }: { value: unknown }) => (typeof value === 'string' ? (normalisePhone(value) ?? value) : value);
export const toE164List = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? (normalisePhone(v) ?? v) : v)) : value;
