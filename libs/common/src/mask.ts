/**
 * Masks phone numbers in log output: Chinese mobiles (with or without +86) and other E.164
 * numbers keep their first three and last four digits, e.g. 139****5678.
 */
const PHONE = /(\+?86[- ]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)|(\+[1-9]\d{2})\d{3,8}(\d{4})(?!\d)/g;

export function maskPhones(text: string): string {
  return text.replace(PHONE, (_m, cc: string | undefined, head?: string, tail?: string, eHead?: string, eTail?: string) =>
    head ? `${cc ? '+86' : ''}${head}****${tail}` : `${eHead}****${eTail}`,
  );
}

/** Deep copy of a log record with every string masked (bounded depth: logs are not trees). */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhones(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  // Only plain records are copied: raw requests, responses and errors keep their identity
  // (pino's serializers read getters such as res.headersSent from the real object).
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}
