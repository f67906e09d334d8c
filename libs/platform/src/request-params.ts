import type { ErrorDetail } from '@fangxun/common';
import { unsafeStringProblem } from './json-safety';

/** Longest path parameter or query value we accept (cursors are the longest legitimate ones, ~150). */
export const MAX_PARAM_LENGTH = 512;

/**
 * The documented form of path parameters, by name: checked by the validation pipe before any
 * handler (so before any query) and written into the OpenAPI document as `pattern`. Every
 * `{code}` of divisions, risk objects, shelters, teams, depots and stations follows the tables'
 * CHECK (`^[0-9A-Za-z_.-]{2,40}$`; division codes are a subset); every `{id}` is a UUID.
 */
export const PATH_PARAM_PATTERNS: Record<string, { pattern: RegExp; problem: string }> = {
  code: { pattern: /^[0-9A-Za-z_.-]{2,40}$/, problem: 'must be 2-40 letters, digits, "_", "." or "-"' },
  id: {
    pattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    problem: 'must be a UUID',
  },
};

/** A string from a path or query string that must not reach a handler (NUL, lone surrogate, too long). */
export function paramValueProblem(value: string): string | undefined {
  const unsafe = unsafeStringProblem(value);
  if (unsafe) return unsafe;
  if (value.length > MAX_PARAM_LENGTH) return `is longer than ${MAX_PARAM_LENGTH} characters`;
  return undefined;
}

/** Problems of one path parameter: unsafe text first, then its documented pattern. */
export function pathParamProblem(name: string, value: unknown): ErrorDetail | undefined {
  if (typeof value !== 'string') return undefined;
  const unsafe = paramValueProblem(value);
  if (unsafe) return { field: name, problem: unsafe };
  const rule = PATH_PARAM_PATTERNS[name];
  if (rule && !rule.pattern.test(value)) return { field: name, problem: rule.problem };
  return undefined;
}

/**
 * Checks a raw query string (before Express's parser, which would turn malformed escapes into
 * U+FFFD or keep NUL): every key and value must decode as UTF-8 without NUL or lone surrogates
 * and stay within MAX_PARAM_LENGTH. Returns the first problem, naming the parameter.
 */
export function queryStringProblem(rawQuery: string): ErrorDetail | undefined {
  if (!rawQuery) return undefined;
  if (rawQuery.length > 16 * MAX_PARAM_LENGTH) return { field: '(query)', problem: 'query string is too long' };
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    if (key === undefined) return { field: '(query)', problem: 'a parameter name is not valid percent-encoded UTF-8' };
    const keyProblem = paramValueProblem(key);
    if (keyProblem) return { field: '(query)', problem: `a parameter name ${keyProblem}` };
    const value = decode(rawValue);
    if (value === undefined) return { field: key, problem: 'is not valid percent-encoded UTF-8' };
    const problem = paramValueProblem(value);
    if (problem) return { field: key, problem };
  }
  return undefined;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
