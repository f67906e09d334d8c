import type { ErrorDetail } from '@fangxun/common';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const COMMA = 0x2c;

/** Scans raw JSON bytes for nesting deeper than `max`, skipping string contents. O(n), no parse. */
export function jsonDepthExceeds(buf: Uint8Array, max: number): boolean {
  return jsonShapeExceeds(buf, max, Infinity) === 'depth';
}

/**
 * One O(n) pass over raw JSON bytes, no parse: `depth` when nesting goes deeper than
 * `maxDepth`, `values` when the body holds more than about `maxValues` values (objects, arrays
 * and commas between members are counted), else undefined. String contents are skipped.
 */
export function jsonShapeExceeds(buf: Uint8Array, maxDepth: number, maxValues: number): 'depth' | 'values' | undefined {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return 'depth';
      if (++values > maxValues) return 'values';
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    else if (c === COMMA && ++values > maxValues) return 'values';
  }
  return undefined;
}

/** Keys that only ever arrive to pollute prototypes; no Fangxun DTO has them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why PostgreSQL text could not hold `s` faithfully (NUL, lone surrogate), or undefined. */
export function unsafeStringProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (!s.isWellFormed()) return 'contains malformed Unicode (a lone surrogate)';
  return undefined;
}

/**
 * The first string (value or key) that PostgreSQL text cannot hold faithfully, or a prototype
 * key, with its path. Iterative, and paths are only built for the one value reported (a body of
 * 700,000 values is scanned without 700,000 path strings).
 */
export function findUnsafeString(value: unknown, path: string): ErrorDetail | undefined {
  type Frame = { value: unknown; parent: Frame | undefined; key: string | number | undefined };
  const pathOf = (f: Frame): string => {
    const parts: Array<string | number> = [];
    for (let x: Frame | undefined = f; x && x.key !== undefined; x = x.parent) parts.push(x.key);
    let out = path;
    for (let i = parts.length - 1; i >= 0; i--) {
      const k = parts[i];
      out = typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${k}` : k;
    }
    return out;
  };
  const stack: Frame[] = [{ value, parent: undefined, key: undefined }];
  while (stack.length) {
    const f = stack.pop()!;
    const v = f.value;
    if (typeof v === 'string') {
      const problem = unsafeStringProblem(v);
      if (problem) return { field: pathOf(f) || '(body)', problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        if (v[i] !== null && typeof v[i] !== 'number' && typeof v[i] !== 'boolean') stack.push({ value: v[i], parent: f, key: i });
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i];
        const keyProblem = FORBIDDEN_KEYS.has(k) ? 'is not allowed (prototype pollution)' : unsafeStringProblem(k);
        if (keyProblem) return { field: pathOf({ value: undefined, parent: f, key: k }), problem: `key ${keyProblem}` };
        stack.push({ value: (v as Record<string, unknown>)[k], parent: f, key: k });
      }
    }
  }
  return undefined;
}
