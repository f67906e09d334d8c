import request from 'supertest';
import { loadConfig } from '@fangxun/config';
import { ApiModule } from '../../apps/api/src/api.module';
import { bootCustom, CustomApp, truncateAll } from '../support/app';
import { PASSWORD, seedTree, seedUsers } from '../support/fixtures';
import { clearLoginCounters, TEST_REDIS_URL } from '../support/login-counters';

describe('login rate limit shared by two api replicas through Redis', () => {
  let a: CustomApp;
  let b: CustomApp;
  const login = (t: CustomApp, username: string, password: string) =>
    request(t.http).post('/api/v1/auth/login').send({ username, password });

  beforeAll(async () => {
    const base = loadConfig();
    await clearLoginCounters(base.database.url);
    const config = { ...base, realtime: { ...base.realtime, redisUrl: TEST_REDIS_URL } };
    a = await bootCustom({ imports: [ApiModule], config });
    b = await bootCustom({ imports: [ApiModule], config });
    await truncateAll(a.ds);
    await seedTree(a.ds);
    await seedUsers(a.ds);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await clearLoginCounters();
  });

  it('five wrong passwords spread over both replicas use up the one allowance: the sixth is 429 on either', async () => {
    for (let i = 0; i < 5; i++) await login(i % 2 ? a : b, 'auditor', 'wrong-password').expect(401);
    const res = await login(a, 'auditor', PASSWORD).expect(429);
    expect(res.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await login(b, 'auditor', PASSWORD).expect(429);
    // another username from the same client is still let in
    await login(b, 'commander', PASSWORD).expect(200);
  });
});
