import { maskDeep } from '@fangxun/common';

export type Fields = Record<string, unknown>;

/** JSON's view of a value (dates become ISO strings), the form jsonb stores and hashes see. */
function plain(v: unknown): unknown {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown);
}

/**
 * Before/after of a change, keeping only the fields that changed, phone numbers masked
 * (libs/common's mask, the same as the logs). A create has no before; a delete no after.
 * Returns null halves for an update that changed nothing.
 */
export function changedFields(
  before: Fields | null | undefined,
  after: Fields | null | undefined,
): { before: Fields | null; after: Fields | null } {
  const b = before ? (plain(before) as Fields) : null;
  const a = after ? (plain(after) as Fields) : null;
  if (!b || !a) return { before: b && mask(b), after: a && mask(a) };
  const outB: Fields = {};
  const outA: Fields = {};
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (JSON.stringify(b[k] ?? null) === JSON.stringify(a[k] ?? null)) continue;
    outB[k] = b[k] ?? null;
    outA[k] = a[k] ?? null;
  }
  if (!Object.keys(outA).length) return { before: null, after: null };
  return { before: mask(outB), after: mask(outA) };
}

/** Ids (uuid segments can look like a mobile number) are kept; every other value is masked. */
function mask(f: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(f)) out[k] = /(^id|Id|Ids)$/.test(k) ? v : maskDeep(v);
  return out;
}

/** The fields of `row` named by `like`'s keys: a stored row cut to what a write sets, to compare them. */
export function sameFieldsAs(row: object, like: object): Fields {
  const r = row as Fields;
  return Object.fromEntries(Object.keys(like).map((k) => [k, r[k] ?? null]));
}
