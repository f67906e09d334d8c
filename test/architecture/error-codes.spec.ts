import { librarySources } from './source-files';

/** `{ code: 'X', status: 404 }`: how every library declares an error kind (ErrorKind). */
const ERROR_KIND = /\{\s*code:\s*'([A-Z0-9_]+)',\s*status:\s*\d{3}\s*\}/g;

/** Where each error code is declared, across every library. */
function errorCodeDefinitions(files = librarySources()): Map<string, string[]> {
  const where = new Map<string, string[]>();
  for (const f of files) {
    for (const m of f.text.matchAll(ERROR_KIND)) where.set(m[1], [...(where.get(m[1]) ?? []), f.path]);
  }
  return where;
}

describe('error codes', () => {
  it('are found in every library that declares them (the scan reads what it should)', () => {
    const codes = errorCodeDefinitions();
    for (const known of ['VALIDATION_FAILED', 'INVALID_GEOMETRY', 'RISK_OBJECT_NOT_FOUND', 'DIVISION_NOT_FOUND', 'CAP_INVALID']) {
      expect(codes.has(known)).toBe(true);
    }
    expect(codes.size).toBeGreaterThan(60);
  });

  it('are each defined once across all libraries (reuse the owner’s, do not copy it)', () => {
    const twice = [...errorCodeDefinitions()].filter(([, at]) => at.length > 1).map(([code, at]) => `${code}: ${at.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('the check catches a code declared twice', () => {
    const a = { lib: 'a', path: 'libs/a/src/a.errors.ts', text: `X: { code: 'SAME', status: 404 },` };
    const b = { lib: 'b', path: 'libs/b/src/b.errors.ts', text: `Y: { code: 'SAME', status: 404 }` };
    expect(errorCodeDefinitions([a, b]).get('SAME')).toEqual([a.path, b.path]);
  });
});
