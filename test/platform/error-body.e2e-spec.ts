import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures } from '../support/fixtures';

/**
 * Hostile and malformed input on every route family, through the real HTTP server: always a
 * 4xx in the common error body, never a 500, never a half-stored row.
 */
describe('the common error body and hostile input', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const auth = () => ({ Authorization: `Bearer ${tok.commander}` });
  const routes = ['/api/v1/divisions', '/api/v1/holders', '/api/v1/duty-rosters', '/api/v1/auth/login'];

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });
  afterAll(() => t.close());

  const expectBody = (res: request.Response, status: number, code?: string) => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({
      statusCode: status,
      code: code ?? expect.any(String),
      message: expect.any(String),
      details: expect.any(Array),
      correlationId: expect.any(String),
    });
    expect(res.headers['x-correlation-id']).toBe(res.body.correlationId);
  };

  it('answers JSON nested 100,000 levels deep with 400 on every route', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const route of routes) {
      const res = await request(t.http).post(route).set(auth()).set('Content-Type', 'application/json').send(deep);
      expectBody(res, 400, 'INVALID_JSON');
    }
  });

  it('refuses lone surrogates and NUL characters in strings, naming the field', async () => {
    for (const route of routes) {
      const surrogate = await request(t.http).post(route).set(auth()).set('Content-Type', 'application/json').send('{"name":"\\ud800x"}');
      expectBody(surrogate, 400, 'VALIDATION_FAILED');
      expect(surrogate.body.details[0]).toEqual({ field: 'name', problem: expect.stringContaining('surrogate') });
      const nul = await request(t.http)
        .post(route)
        .set(auth())
        .set('Content-Type', 'application/json')
        .send('{"a":{"b":["ok","x\\u0000y"]}}');
      expectBody(nul, 400, 'VALIDATION_FAILED');
      expect(nul.body.details[0].field).toBe('a.b[1]');
    }
  });

  it('refuses invalid UTF-8 bytes and malformed JSON', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const raw = await request(t.http)
      .post('/api/v1/holders')
      .set(auth())
      .set('Content-Type', 'application/json')
      .serialize(((b: Buffer) => b) as unknown as (body: unknown) => string)
      .send(bytes);
    expectBody(raw, 400, 'INVALID_JSON');
    expectBody(
      await request(t.http).post('/api/v1/holders').set(auth()).set('Content-Type', 'application/json').send('{"name":'),
      400,
      'INVALID_JSON',
    );
    expectBody(
      await request(t.http).post('/api/v1/holders').set(auth()).set('Content-Type', 'application/json').send('"just a string"'),
      400,
      'INVALID_JSON',
    );
  });

  it('answers wrong content types with 415 and a too-large JSON body with 413', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await request(t.http).post('/api/v1/holders').set(auth()).set('Content-Type', type).send('name=x');
      expectBody(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.details[0].field).toBe('content-type');
    }
    const big = JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) });
    expectBody(
      await request(t.http).post('/api/v1/holders').set(auth()).set('Content-Type', 'application/json').send(big),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('answers arrays, unknown fields and prototype keys as a 400 naming the field', async () => {
    expectBody(await request(t.http).post('/api/v1/holders').set(auth()).send([1, 2]), 400, 'VALIDATION_FAILED');
    const proto = await request(t.http)
      .post('/api/v1/divisions')
      .set(auth())
      .set('Content-Type', 'application/json')
      .send('{"__proto__":{"admin":true},"code":"33","name":"x","level":"town","parentCode":"331082"}');
    expectBody(proto, 400, 'VALIDATION_FAILED');
    expect(proto.body.details[0]).toEqual({ field: '__proto__', problem: expect.stringContaining('not allowed') });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('answers unknown routes with 404 and missing credentials with 401 in the same body', async () => {
    expectBody(await request(t.http).get('/api/v1/nowhere').set(auth()), 404, 'NOT_FOUND');
    expectBody(await request(t.http).get('/api/v1/holders'), 401, 'UNAUTHENTICATED');
    expectBody(await request(t.http).get('/api/v1/holders').set('Authorization', 'Bearer not.a.jwt'), 401, 'UNAUTHENTICATED');
  });

  it('keeps a caller-supplied correlation id', async () => {
    const res = await request(t.http).get('/api/v1/holders').set('x-correlation-id', 'duty-desk-123456');
    expect(res.body.correlationId).toBe('duty-desk-123456');
  });

  it('serves liveness, readiness (database + PostGIS), metrics and the OpenAPI document', async () => {
    expect((await request(t.http).get('/health').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await request(t.http).get('/ready').expect(200);
    expect(ready.body.info).toMatchObject({
      database: { status: 'up' },
      postgis: { status: 'up', version: expect.stringMatching(/^3\./) },
    });
    const metrics = await request(t.http).get('/metrics').expect(200);
    expect(metrics.text).toContain('fangxun_http_request_duration_seconds');
    const doc = await request(t.http).get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/holders', '/api/v1/divisions/{code}', '/api/v1/auth/login']),
    );
    expect(doc.body.components.schemas).toHaveProperty('ErrorBodyDto');
    for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        expect({ route: `${method} ${path}`, has400or401: Object.keys(op.responses).some((s) => s.startsWith('4')) }).toEqual({
          route: `${method} ${path}`,
          has400or401: true,
        });
      }
    }
  });
});
