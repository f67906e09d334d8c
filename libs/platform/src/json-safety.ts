import type { ErrorDetail } from '@fangxun/common';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Scans raw JSON bytes for nesting deeper than `max`, skipping string contents. O(n), no parse. */
export function jsonDepthExceeds(buf: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** Keys that only ever arrive to pollute prototypes; no Fangxun DTO has them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function problemOf(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character';
  if (!s.isWellFormed()) return 'contains malformed Unicode (a lone surrogate)';
  return undefined;
}

/** The first string (value or key) that PostgreSQL text cannot hold faithfully, or a prototype key, with its path. */
export function findUnsafeString(value: unknown, path: string): ErrorDetail | undefined {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem ? { field: path || '(body)', problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findUnsafeString(value[i], `${path}[${i}]`);
      if (bad) return bad;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const field = path ? `${path}.${k}` : k;
      const keyProblem = FORBIDDEN_KEYS.has(k) ? 'is not allowed (prototype pollution)' : problemOf(k);
      if (keyProblem) return { field, problem: `key ${keyProblem}` };
      const bad = findUnsafeString(v, field);
      if (bad) return bad;
    }
  }
  return undefined;
}
