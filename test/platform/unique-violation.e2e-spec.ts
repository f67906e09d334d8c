import type { ArgumentsHost } from '@nestjs/common';
import { AllErrorsFilter } from '@fangxun/platform';
import { bootApi, TestApp } from '../support/app';

/**
 * A unique violation a service did not translate (every service today translates its own; a
 * race or a new route might not) reaches the one error filter: 409 CONFLICT naming the key's
 * columns, never their values or the SQL. The errors are real ones from PostgreSQL via TypeORM.
 */
describe('a unique violation that slips past a service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApi();
  });
  afterAll(() => t.close());

  /** The real driver error of running `sql` twice on one connection after `setup`. */
  async function violation(setup: string, sql: string): Promise<unknown> {
    const runner = t.ds.createQueryRunner();
    try {
      await runner.query(setup);
      await runner.query(sql);
      return await runner.query(sql).then(
        () => undefined,
        (err: unknown) => err,
      );
    } finally {
      await runner.release();
    }
  }

  /** What the filter answers for `error`, through the same code path a route's error takes. */
  function answer(error: unknown): { status: number; body: Record<string, unknown> } {
    const out = { status: 0, body: {} as Record<string, unknown> };
    const res = {
      headersSent: false,
      setHeader: () => res,
      getHeader: () => undefined,
      status: (s: number) => ((out.status = s), res),
      json: (b: Record<string, unknown>) => ((out.body = b), res),
    };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => ({ id: 'c-1' }), getResponse: () => res }),
    } as unknown as ArgumentsHost;
    new AllErrorsFilter().catch(error, host);
    return out;
  }

  it('answers 409 CONFLICT naming the column, without the value or SQL', async () => {
    const err = await violation(
      'create temp table if not exists uv_one (mobile_phone text unique)',
      `insert into uv_one values ('13800000000')`,
    );
    const { status, body } = answer(err);
    expect(status).toBe(409);
    expect(body).toMatchObject({
      code: 'CONFLICT',
      message: 'mobilePhone: already exists',
      details: [{ field: 'mobilePhone', problem: 'already exists' }],
    });
    expect(JSON.stringify(body)).not.toMatch(/13800000000|insert|uv_one/i);
  });

  it('names every column of a composite key', async () => {
    const err = await violation(
      'create temp table if not exists uv_two (division_id int, duty_date date, unique (division_id, duty_date))',
      `insert into uv_two values (1, '2026-07-28')`,
    );
    const { status, body } = answer(err);
    expect(status).toBe(409);
    expect(body.details).toEqual([
      { field: 'divisionId', problem: 'this combination (divisionId, dutyDate) already exists' },
      { field: 'dutyDate', problem: 'this combination (divisionId, dutyDate) already exists' },
    ]);
  });

  it('names the constraint when the key is an expression', async () => {
    const err = await violation(
      'create temp table if not exists uv_expr (name text); create unique index if not exists uv_expr_name_ci on uv_expr (lower(name))',
      `insert into uv_expr values ('Linhai')`,
    );
    const { status, body } = answer(err);
    expect(status).toBe(409);
    expect(body.details).toEqual([{ field: 'uv_expr_name_ci', problem: 'already exists' }]);
    expect(JSON.stringify(body)).not.toMatch(/linhai/i);
  });
});
