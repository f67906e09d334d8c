import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { PASSWORD, seedTree, seedUsers, TREE } from '../support/fixtures';

describe('login: POST /auth/login issues a bearer token, GET /auth/me says who it belongs to', () => {
  let t: TestApp;
  const login = (username: string, password: string) => request(t.http).post('/api/v1/auth/login').send({ username, password });

  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
  });
  afterAll(() => t.close());

  it('logs the commander in and returns a token carrying the user, its role and its division path', async () => {
    const res = await login('Commander', PASSWORD).expect(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 43200,
      user: { id: expect.any(String), username: 'commander', displayName: 'commander', role: 'commander', divisionCode: TREE.city },
    });
    const claims = new JwtService().decode<Record<string, unknown>>(res.body.accessToken, { complete: true }) as unknown as {
      header: { alg: string };
      payload: Record<string, unknown>;
    };
    expect(claims.header.alg).toBe('HS256');
    expect(claims.payload).toMatchObject({
      sub: res.body.user.id,
      username: 'commander',
      role: 'commander',
      divisionCode: TREE.city,
      divisionPath: TREE.city,
      iss: 'fangxun',
    });
    expect(Number(claims.payload.exp) - Number(claims.payload.iat)).toBe(43200);

    const me = await request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({
      id: res.body.user.id,
      username: 'commander',
      role: 'commander',
      divisionCode: TREE.city,
      active: true,
    });
    expect(JSON.stringify(me.body)).not.toMatch(/scrypt|password/i);
  });

  it('puts the ltree path of a village-level user in its token', async () => {
    const res = await login('village-a', PASSWORD).expect(200);
    const payload = new JwtService().decode<Record<string, unknown>>(res.body.accessToken);
    expect(payload.divisionPath).toBe(`${TREE.city}.${TREE.townA}.${TREE.villageA}`);
  });

  it('answers a wrong password and an unknown username with the same 401 INVALID_CREDENTIALS', async () => {
    const wrong = await login('duty', 'not-the-password').expect(401);
    const unknown = await login('nobody-here', PASSWORD).expect(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, correlationId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'invalid username or password' });
  });

  it('refuses a deactivated user even with the right password, and its earlier token stops working', async () => {
    const before = await login('auditor', PASSWORD).expect(200);
    await t.ds.query(`update users set active = false where username = 'auditor'`);
    const res = await login('auditor', PASSWORD).expect(401);
    expect(res.body.code).toBe('INVALID_CREDENTIALS');
    const me = await request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${before.body.accessToken}`).expect(401);
    expect(me.body).toMatchObject({ code: 'UNAUTHENTICATED', message: 'user no longer active' });
    await t.ds.query(`update users set active = true where username = 'auditor'`);
  });

  it('names the missing fields of a malformed login body', async () => {
    const res = await request(t.http).post('/api/v1/auth/login').send({ username: 'commander' }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain('password');
  });

  it('asks for credentials on /auth/me', async () => {
    const res = await request(t.http).get('/api/v1/auth/me').expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });
});
