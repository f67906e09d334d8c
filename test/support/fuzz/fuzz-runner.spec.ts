import { FuzzRequest, judge } from './fuzz-runner';

/** The fuzz test is only as good as its judge: each rule must actually fire. */
describe('the fuzz judge', () => {
  const req = { op: { method: 'get', path: '/x', parameters: [], bodyTypes: [] }, as: 'admin-a', url: 'http://h/x' } as FuzzRequest;
  const error = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'm',
      details: [{ field: 'a', problem: 'b' }],
      correlationId: 'c',
      ...over,
    });
  const json = 'application/json; charset=utf-8';
  const townB = (key: string, value: unknown) => key === 'divisionCode' && value === '331082100';

  it('accepts a well-formed 4xx and a 2xx without foreign data', () => {
    expect(judge(req, 400, json, error())).toBeUndefined();
    expect(judge(req, 200, json, JSON.stringify([{ divisionCode: '331082001' }]), townB)).toBeUndefined();
  });

  it('flags 5xx, bodies outside the error shape, HTML errors, internals and another town’s data', () => {
    expect(judge(req, 500, json, error({ statusCode: 500 }))).toMatch(/500/);
    expect(judge(req, 400, json, JSON.stringify({ message: 'x' }))).toMatch(/keys/);
    expect(judge(req, 400, 'text/html', error())).toMatch(/text\/html/);
    expect(judge(req, 400, json, error({ details: [{ field: 1 }] }))).toMatch(/details/);
    expect(judge(req, 400, json, error({ message: 'error: null value in column "x" violates not-null constraint' }))).toMatch(/internals/);
    expect(judge(req, 400, json, error({ message: 'TypeError: x\n    at Foo (/app/libs/a.ts:3:5)' }))).toMatch(/internals/);
    expect(judge(req, 200, json, JSON.stringify({ items: [{ nested: { divisionCode: '331082100' } }] }), townB)).toMatch(/out-of-area/);
  });
});
