import { findUnsafeString, jsonDepthExceeds } from './json-safety';

describe('JSON safety checks', () => {
  it('measures depth on raw bytes, ignoring brackets inside strings', () => {
    expect(jsonDepthExceeds(Buffer.from('[[[]]]'), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('[[[[]]]]'), 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from('{"a":"[[[[[[\\"[[["}'), 2)).toBe(false);
  });

  it('finds NUL and lone surrogates in values and keys, with the path', () => {
    expect(findUnsafeString({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, '')).toEqual({ field: 'a[1].c', problem: 'contains a NUL character' });
    expect(findUnsafeString({ ['k\ud800']: 1 }, '')?.problem).toContain('surrogate');
    expect(findUnsafeString({ name: '王伟 😀' }, '')).toBeUndefined();
  });
});
