import { validationError } from '@fangxun/common';
import type { ReportItem } from './order.repository';

/**
 * The counts of a feedback (反馈) against what the order asked for: every asked count present,
 * a whole number 0..1,000,000, nothing else. The error names the count (`counts.peopleMoved`).
 */
export function checkCounts(
  items: readonly ReportItem[],
  counts: Record<string, unknown> | undefined | null,
): Record<string, number> | null {
  const given = counts ?? {};
  const keys = items.map((i) => i.key);
  for (const [k, v] of Object.entries(given)) {
    if (!keys.includes(k))
      throw validationError(`counts.${k}`, keys.length ? `not asked for (one of ${keys.join(', ')})` : 'this order asks for no counts');
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 1_000_000)
      throw validationError(`counts.${k}`, 'must be a whole number 0..1000000');
  }
  for (const k of keys) if (!(k in given)) throw validationError(`counts.${k}`, 'required by this order');
  return keys.length ? Object.fromEntries(keys.map((k) => [k, given[k] as number])) : null;
}
