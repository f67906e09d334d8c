import request from 'supertest';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { PASSWORD, seedTree, seedUsers } from '../support/fixtures';

// Defaults from config/default.yaml: 5 attempts per (IP, username) and 50 per IP in 300 s.
// Each test file boots its own app, so these counters start at zero here.
const PER_USER = 5;
const PER_IP = 50;

describe('login rate limit: per client and username, and 10× looser per client', () => {
  let t: TestApp;
  const login = (username: string, password: string) => request(t.http).post('/api/v1/auth/login').send({ username, password });

  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
  });
  afterAll(() => t.close());

  it('answers the 6th attempt on one username with 429 in the common body and a Retry-After, whatever the case of the name', async () => {
    for (let i = 0; i < PER_USER; i++) await login(i % 2 ? 'DUTY' : 'duty', 'wrong-password').expect(401);
    const res = await login('duty', PASSWORD).expect(429);
    expect(res.body).toEqual({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/^too many login attempts; try again in \d+ s$/),
      details: [{ field: 'username', problem: 'too many attempts' }],
      correlationId: expect.any(String),
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
  });

  it('still lets the same client log in as another user', async () => {
    await login('commander', PASSWORD).expect(200);
  });

  it('stops a client that sprays many usernames at 10× the per-user limit', async () => {
    // PER_USER + 1 attempts above (the 429 counts against no IP budget: the per-user limit
    // refused it first), plus one commander login.
    let used = PER_USER + 1;
    let n = 0;
    while (used < PER_IP) {
      await login(`sprayed-${n++ % 20}`, 'guess-123456').expect(401);
      used++;
    }
    const res = await login('someone-new', 'guess-123456').expect(429);
    expect(res.body.code).toBe('TOO_MANY_REQUESTS');
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('does not rate limit routes other than login', async () => {
    for (let i = 0; i < 3; i++) await request(t.http).get('/health').expect(200);
  });
});
