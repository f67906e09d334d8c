import { Controller, Get, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ApiKeyOnly, CurrentPrincipal, Principal } from '@fangxun/common';
import { createHttpApp } from '@fangxun/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { truncateAll } from '../support/app';
import { loginAll, seedTree, seedUsers, TREE } from '../support/fixtures';

/** Test-only routes: one that forgot its access decorator, one for API keys with feeds:write. */
@Controller('probe')
class ProbeController {
  @Get('undeclared')
  undeclared(): { ok: boolean } {
    return { ok: true };
  }

  @Get('feed')
  @ApiKeyOnly('feeds:write')
  feed(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

@Module({ imports: [ApiModule], controllers: [ProbeController] })
class ProbeApiModule {}

describe('access guard: every route says who may call it, tokens and API keys are checked on each request', () => {
  let app: Awaited<ReturnType<typeof createHttpApp>>;
  let http: ReturnType<typeof app.getHttpServer>;
  let ds: DataSource;
  let tok: Record<string, string>;
  let commanderId: string;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const jwt = new JwtService({ secret: process.env.JWT_SECRET });

  beforeAll(async () => {
    app = await createHttpApp(ProbeApiModule);
    await app.init();
    http = app.getHttpServer();
    ds = app.get<DataSource>(getDataSourceToken());
    await truncateAll(ds);
    await seedTree(ds);
    await seedUsers(ds);
    tok = await loginAll({ app, ds, http, close: () => app.close() });
    [{ id: commanderId }] = await ds.query(`select id from users where username = 'commander'`);
  });
  afterAll(() => app.close());

  describe('policies', () => {
    it('refuses a route with no access policy with 403, logged in or not', async () => {
      for (const headers of [{}, as('commander')]) {
        const res = await request(http).get('/api/v1/probe/undeclared').set(headers).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: 'route has no access policy' });
      }
    });

    it('refuses a role the route does not list with 403 naming the role', async () => {
      const res = await request(http).get('/api/v1/users').set(as('warden-a')).expect(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: 'role warden may not call this route' });
    });

    it('keeps public routes open without credentials', async () => {
      await request(http).get('/health').expect(200);
    });
  });

  describe('bearer tokens', () => {
    const claims = () => ({ sub: commanderId, username: 'commander', role: 'commander', divisionCode: TREE.city, divisionPath: TREE.city });

    it('accepts a token it issued', async () => {
      await request(http).get('/api/v1/auth/me').set(as('commander')).expect(200);
    });

    it('refuses a token whose payload was altered (signature no longer matches)', async () => {
      const [h, , s] = tok['warden-a'].split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims(), iss: 'fangxun', exp: Math.floor(Date.now() / 1000) + 600 })).toString(
        'base64url',
      );
      const res = await request(http).get('/api/v1/users').set('Authorization', `Bearer ${h}.${forged}.${s}`).expect(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: 'invalid access token' });
    });

    it('refuses an expired token', async () => {
      const expired = jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 }, { issuer: 'fangxun' });
      const res = await request(http).get('/api/v1/auth/me').set('Authorization', `Bearer ${expired}`).expect(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: 'access token expired' });
    });

    it('refuses tokens from another issuer, another secret, or with alg none', async () => {
      const otherIssuer = jwt.sign(claims(), { issuer: 'someone-else', expiresIn: 600 });
      const otherSecret = new JwtService({ secret: 'x'.repeat(40) }).sign(claims(), { issuer: 'fangxun', expiresIn: 600 });
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
        JSON.stringify({ ...claims(), iss: 'fangxun', exp: Math.floor(Date.now() / 1000) + 600 }),
      ).toString('base64url')}.`;
      for (const token of [otherIssuer, otherSecret, none, 'not-a-jwt']) {
        const res = await request(http).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    });

    it('refuses a non-Bearer Authorization header and two credentials at once', async () => {
      await request(http).get('/api/v1/auth/me').set('Authorization', 'Basic Y29tbWFuZGVyOng=').expect(401);
      await request(http).get('/api/v1/auth/me').set(as('commander')).set('X-API-Key', 'fx_x').expect(401);
    });
  });

  describe('API keys', () => {
    const createKey = (scopes: string[], user = 'duty') =>
      request(http)
        .post('/api/v1/api-keys')
        .set(as(user))
        .send({ name: `key ${scopes.join(' ')}`, scopes });

    it('creates a key shown once, works where its scope is named, and stops working once revoked', async () => {
      const created = await createKey(['registry:read']).expect(201);
      expect(created.body).toMatchObject({ name: 'key registry:read', scopes: ['registry:read'], revokedAt: null, lastUsedAt: null });
      expect(created.body.key).toMatch(/^fx_[0-9A-Za-z]{8}_[A-Za-z0-9_-]{43}$/);
      expect(created.body.key.startsWith(`${created.body.prefix}_`)).toBe(true);
      const key: string = created.body.key;

      const list = await request(http).get('/api/v1/api-keys').set(as('commander')).expect(200);
      const listed = list.body.find((k: { id: string }) => k.id === created.body.id);
      expect(listed).toBeDefined();
      expect(Object.keys(listed).sort()).toEqual([
        'createdAt',
        'createdBy',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
        'revokedAt',
        'scopes',
      ]);

      const divisions = await request(http).get('/api/v1/divisions').set('X-API-Key', key).expect(200);
      expect(divisions.body.items.length).toBeGreaterThan(0);
      const [{ last_used_at: lastUsed }] = await ds.query('select last_used_at from api_keys where id = $1', [created.body.id]);
      expect(lastUsed).not.toBeNull();

      const users = await request(http).get('/api/v1/users').set('X-API-Key', key).expect(403);
      expect(users.body.message).toBe('API keys are not accepted on this route');
      const feed = await request(http).get('/api/v1/probe/feed').set('X-API-Key', key).expect(403);
      expect(feed.body.message).toBe('API key lacks scope feeds:write');

      await request(http).delete(`/api/v1/api-keys/${created.body.id}`).set(as('commander')).expect(204);
      await request(http).delete(`/api/v1/api-keys/${created.body.id}`).set(as('commander')).expect(204);
      const revoked = await request(http).get('/api/v1/divisions').set('X-API-Key', key).expect(401);
      expect(revoked.body).toMatchObject({ code: 'UNAUTHENTICATED', message: 'API key revoked' });
    });

    it('lets an API-key-only route see the key as its principal', async () => {
      const { body } = await createKey(['feeds:write', 'sms:callback']).expect(201);
      const res = await request(http).get('/api/v1/probe/feed').set('X-API-Key', body.key).expect(200);
      expect(res.body).toEqual({
        kind: 'api_key',
        keyId: body.id,
        name: 'key feeds:write sms:callback',
        scopes: ['feeds:write', 'sms:callback'],
      });
      await request(http).get('/api/v1/probe/feed').set(as('commander')).expect(403);
    });

    it('refuses a wrong secret, an unknown prefix and an expired key with 401', async () => {
      const { body } = await createKey(['feeds:write']).expect(201);
      const key: string = body.key;
      const wrongSecret = `${key.slice(0, 12)}${key.slice(12, 13) === 'A' ? 'B' : 'A'}${key.slice(13)}`;
      await request(http).get('/api/v1/probe/feed').set('X-API-Key', wrongSecret).expect(401);
      await request(http)
        .get('/api/v1/probe/feed')
        .set('X-API-Key', `fx_ZZZZZZZZ_${key.slice(12)}`)
        .expect(401);
      await ds.query(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [body.id]);
      const res = await request(http).get('/api/v1/probe/feed').set('X-API-Key', key).expect(401);
      expect(res.body.message).toBe('API key expired');
    });

    it('validates scopes and expiry, and lets only commanders and duty officers manage keys', async () => {
      const bad = await createKey(['admin']).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toContain('scopes');
      const past = await request(http)
        .post('/api/v1/api-keys')
        .set(as('commander'))
        .send({ name: 'late', scopes: ['feeds:write'], expiresAt: '2000-01-01T00:00:00Z' })
        .expect(400);
      expect(past.body.details).toEqual([{ field: 'expiresAt', problem: 'must be in the future' }]);
      await createKey(['feeds:write'], 'admin-a').expect(403);
      await request(http).get('/api/v1/api-keys').set(as('auditor')).expect(403);
      const missing = await request(http).delete('/api/v1/api-keys/00000000-0000-4000-8000-000000000000').set(as('duty')).expect(404);
      expect(missing.body.code).toBe('API_KEY_NOT_FOUND');
      const notUuid = await request(http).delete('/api/v1/api-keys/123').set(as('duty')).expect(400);
      expect(notUuid.body.details[0].field).toBe('id');
    });
  });
});
