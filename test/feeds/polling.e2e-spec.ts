import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FeedPollService } from '@fangxun/feeds';
import { FeedPollScheduler } from '../../libs/feeds/src/polling/feed-poll.scheduler';
import type { TestApp } from '../support/app';
import { truncateAll } from '../support/app';
import { loginAll, seedTree, seedUsers } from '../support/fixtures';
import { bootFeeds, FakeClock, feed, FeedServer, RecordingIngest } from './polling.support';

const hkoPayload = JSON.parse(readFileSync(join(__dirname, '../fixtures/feeds/hk-hko-hourly-rainfall-sample.json'), 'utf8')) as unknown;

describe('polled HTTP feeds against a local stand-in server', () => {
  const server = new FeedServer();
  const clock = new FakeClock(new Date('2026-07-28T02:00:00Z'));
  const ingest = new RecordingIngest();
  let t: TestApp;
  let tokens: Record<string, string>;
  let polls: FeedPollService;

  beforeAll(async () => {
    await server.start();
    t = await bootFeeds(
      [
        feed({
          name: 'hko',
          adapter: 'hko-hourly-rainfall',
          url: server.url('/hko?lang=en'),
          stationPrefix: 'HK-',
          stationMap: { 'Lau Fau Shan': 'LH001' },
        }),
        feed({ name: 'flaky', adapter: 'hko-hourly-rainfall', url: server.url('/flaky'), failingAfter: 2 }),
        feed({
          name: 'season',
          adapter: 'hko-hourly-rainfall',
          url: server.url('/hko'),
          cron: '0 * * * *',
          cronFloodSeason: '*/5 * * * *',
        }),
      ],
      clock,
      ingest,
    );
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
    tokens = await loginAll(t);
    polls = t.app.get(FeedPollService);
  });

  afterAll(async () => {
    await t?.close();
    await server.stop();
  });

  beforeEach(async () => {
    // Each scenario starts from a fresh cursor (no failures, no alert) so none leans on another.
    await t.ds.query('truncate feed_cursors cascade');
    server.reset();
    ingest.batches.length = 0;
    server.setDefault('/hko', () => ({ body: hkoPayload }));
  });

  const pollNow = (name: string, who = 'duty') =>
    request(t.http).post(`/api/v1/feeds/${name}/poll`).set('Authorization', `Bearer ${tokens[who]}`);

  it('a normal HKO payload: the gauge read "0" reaches ingest as poll:hko, mapped by name; "M" is skipped and reported; the cursor moves', async () => {
    const res = await pollNow('hko').expect(200);
    expect(res.body).toMatchObject({ feed: 'hko', status: 'ok', trigger: 'manual', requests: 1, attempts: 1, handed: 1, skipped: 1 });
    expect(res.body.skippedSamples).toEqual([{ path: 'hourlyRainfall[1].value', problem: 'missing ("M")' }]);
    expect(ingest.batches).toEqual([
      {
        source: 'poll:hko',
        rows: [{ stationCode: 'LH001', observedAt: '2022-09-01T08:00:00+08:00', value: 0, unit: 'mm', intervalMinutes: 60 }],
      },
    ]);
    expect(server.requests[0].query.get('lang')).toBe('en');
    const list = await request(t.http).get('/api/v1/feeds').set('Authorization', `Bearer ${tokens.auditor}`).expect(200);
    const hko = list.body.find((f: { name: string }) => f.name === 'hko');
    expect(hko).toMatchObject({
      adapter: 'hko-hourly-rainfall',
      url: expect.not.stringContaining('lang=') as unknown,
      lastObservedAt: '2022-09-01T00:00:00.000Z',
      lastSuccessAt: '2026-07-28T02:00:00.000Z',
      consecutiveFailures: 0,
      lastError: null,
      failingSince: null,
      polling: false,
    });
    expect(typeof hko.nextRunAt).toBe('string');
  });

  it('a response slower than timeoutMs is abandoned and retried, then the poll fails with nothing stored', async () => {
    server.enqueue('/flaky', { delayMs: 1500, body: hkoPayload }, { delayMs: 1500, body: hkoPayload }, { delayMs: 1500, body: hkoPayload });
    // Behaviour, not wall-clock: three attempts, each given up (the server would answer after 1.5 s each).
    const res = await pollNow('flaky').expect(200);
    expect(res.body).toMatchObject({ status: 'failed', attempts: 3, handed: 0 });
    expect(res.body.error).toMatch(/timed out after 3 attempt/);
    expect(server.hits('/flaky')).toBe(3);
    expect(ingest.batches).toEqual([]);
  });

  it('two failures in a row open a feed_failing alert; 500, 500 then 200 recovers within one poll (3 attempts) and closes it', async () => {
    server.enqueue('/flaky', { status: 502 }, { status: 502 }, { status: 502 });
    expect((await pollNow('flaky').expect(200)).body).toMatchObject({ status: 'failed' });
    server.enqueue('/flaky', { status: 502 }, { status: 502 }, { status: 502 });
    const second = await pollNow('flaky').expect(200);
    expect(second.body).toMatchObject({ status: 'failed', attempts: 3, error: 'HTTP 502 after 3 attempt(s)' });
    const failing = await request(t.http).get('/api/v1/feeds').set('Authorization', `Bearer ${tokens.duty}`).expect(200);
    expect(failing.body.find((f: { name: string }) => f.name === 'flaky')).toMatchObject({
      consecutiveFailures: 2,
      failingSince: '2026-07-28T02:00:00.000Z',
      lastError: 'HTTP 502 after 3 attempt(s)',
    });

    server.reset();
    server.enqueue('/flaky', { status: 500 }, { status: 503 }, { body: hkoPayload });
    const ok = await pollNow('flaky').expect(200);
    expect(ok.body).toMatchObject({ status: 'ok', attempts: 3, handed: 1 });
    expect(server.hits('/flaky')).toBe(3);
    const alerts: Array<{ closed: boolean; failures: number }> = await t.ds.query(
      `select closed_at is not null as closed, failures from feed_poll_alerts where feed_name = 'flaky'`,
    );
    expect(alerts).toEqual([{ closed: true, failures: 2 }]);
  });

  it('a dropped connection (ECONNRESET) is retried like a 5xx', async () => {
    server.enqueue('/flaky', { drop: true }, { body: hkoPayload });
    const res = await pollNow('flaky').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', attempts: 2, handed: 1 });
  });

  it('a 4xx is not retried', async () => {
    server.enqueue('/flaky', { status: 401, body: { error: 'bad key' } });
    const res = await pollNow('flaky').expect(200);
    expect(res.body).toMatchObject({ status: 'failed', attempts: 1, error: 'HTTP 401 after 1 attempt(s)' });
    expect(server.hits('/flaky')).toBe(1);
  });

  it('a malformed body (HTML, or JSON of another shape) fails the poll, is reported, and nothing reaches ingest', async () => {
    server.enqueue('/flaky', { text: '<html>maintenance</html>' }, { body: { obsTime: '2022-09-01T08:00:00+08:00', rainfall: [] } });
    const html = await pollNow('flaky').expect(200);
    expect(html.body).toMatchObject({ status: 'failed', attempts: 1, error: 'response body is not JSON after 1 attempt(s)' });
    const shape = await pollNow('flaky').expect(200);
    expect(shape.body).toMatchObject({ status: 'failed', error: 'unexpected body: hourlyRainfall: must be an array' });
    expect(ingest.batches).toEqual([]);
  });

  it('two workers polling the same feed at once: one polls, the other finds it claimed (FOR UPDATE SKIP LOCKED + lease)', async () => {
    server.enqueue('/hko', { delayMs: 150, body: hkoPayload });
    const [a, b] = await Promise.all([polls.poll('hko', 'schedule'), polls.poll('hko', 'schedule')]);
    expect([a.status, b.status].sort()).toEqual(['busy', 'ok']);
    expect(server.hits('/hko')).toBe(1);
  });

  it('cadence follows the injected clock: the flood-season cron polls in July and stays idle in December', async () => {
    const scheduler = t.app.get(FeedPollScheduler);
    clock.set('2026-07-28T02:05:00Z');
    expect(await scheduler.tick('season', '0 * * * *')).toBe('off-cadence');
    expect(await scheduler.tick('season', '*/5 * * * *')).toMatchObject({ status: 'ok', trigger: 'schedule' });
    clock.set('2026-12-01T02:00:00Z');
    expect(await scheduler.tick('season', '*/5 * * * *')).toBe('off-cadence');
    expect(await scheduler.tick('season', '0 * * * *')).toMatchObject({ status: 'ok' });
    const list = await request(t.http).get('/api/v1/feeds').set('Authorization', `Bearer ${tokens.commander}`).expect(200);
    expect(list.body.find((f: { name: string }) => f.name === 'season').cadence).toEqual({
      cron: '0 * * * *',
      cronFloodSeason: '*/5 * * * *',
      floodSeason: false,
      active: '0 * * * *',
    });
    clock.set('2026-07-28T02:00:00Z');
  });

  it('access: town and village admins may not see feeds, the auditor may look but not poll; an unknown feed is a 404 naming the field', async () => {
    await request(t.http).get('/api/v1/feeds').set('Authorization', `Bearer ${tokens['admin-a']}`).expect(403);
    await request(t.http).get('/api/v1/feeds').expect(401);
    await pollNow('hko', 'auditor').expect(403);
    const res = await pollNow('nope').expect(404);
    expect(res.body.details).toEqual([{ field: 'name', problem: 'no feed nope' }]);
  });
});
