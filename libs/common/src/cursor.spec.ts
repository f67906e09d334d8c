import { AppError } from './app-error';
import { decodeCursor, encodeCursor } from './cursor';

describe('keyset cursors', () => {
  it('round-trips the sort key and id', () => {
    const c = encodeCursor('name', ['王伟', 'a7f0c3d2-0000-4000-8000-000000000000']);
    expect(decodeCursor(c, 'name', 2)).toEqual(['王伟', 'a7f0c3d2-0000-4000-8000-000000000000']);
  });

  it('refuses garbage, the wrong arity and a cursor made for another sort', () => {
    expect(() => decodeCursor('!!!', 'name', 2)).toThrow(AppError);
    expect(() => decodeCursor(encodeCursor('name', ['a']), 'name', 2)).toThrow(/not a cursor/);
    expect(() => decodeCursor(encodeCursor('code', ['a', 'b']), 'name', 2)).toThrow(/sort "code"/);
  });
});
