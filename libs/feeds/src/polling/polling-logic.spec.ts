import { polledFeedsSchema } from '@fangxun/config';
import { planWindows } from './backfill-windows';
import { activeCron, beijingMonthDay, inFloodSeason } from './feed-cadence';
import { backoffDelayMs, isRetryable } from './retry-policy';

const season = { from: '04-15', to: '10-15' };

describe('polling: cadence, retry policy, back-fill windows, config', () => {
  it('flood season follows the Beijing calendar: 2026-04-14T16:00Z is already 04-15 in Linhai', () => {
    expect(beijingMonthDay(new Date('2026-04-14T16:00:00Z'))).toBe('04-15');
    expect(inFloodSeason(new Date('2026-04-14T15:59:00Z'), season)).toBe(false);
    expect(inFloodSeason(new Date('2026-04-14T16:00:00Z'), season)).toBe(true);
    expect(inFloodSeason(new Date('2026-10-15T15:59:00Z'), season)).toBe(true);
    expect(inFloodSeason(new Date('2026-10-15T16:00:00Z'), season)).toBe(false);
    expect(inFloodSeason(new Date('2026-01-05T00:00:00Z'), { from: '12-01', to: '02-28' })).toBe(true);
  });

  it('the flood-season cron governs in season, the normal one otherwise (and always when none is set)', () => {
    const feed = { cron: '0 * * * *', cronFloodSeason: '*/5 * * * *' };
    expect(activeCron(feed, new Date('2026-07-01T00:00:00Z'), season)).toBe('*/5 * * * *');
    expect(activeCron(feed, new Date('2026-12-01T00:00:00Z'), season)).toBe('0 * * * *');
    expect(activeCron({ cron: '0 * * * *' }, new Date('2026-07-01T00:00:00Z'), season)).toBe('0 * * * *');
  });

  it('retries 5xx and dropped connections, never 4xx', () => {
    expect(isRetryable({ status: 503 })).toBe(true);
    expect(isRetryable({ status: 404 })).toBe(false);
    expect(isRetryable({ status: 429 })).toBe(false);
    expect(isRetryable({ code: 'ECONNRESET' })).toBe(true);
    expect(isRetryable({ code: 'ETIMEDOUT' })).toBe(true);
    expect(isRetryable({ code: 'BODY_NOT_JSON' })).toBe(false);
  });

  it('back-off doubles its ceiling per attempt, jittered below it, and is capped', () => {
    expect(backoffDelayMs(0, 1000, () => 0.999)).toBe(999);
    expect(backoffDelayMs(3, 1000, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(3, 1000, () => 0)).toBe(0);
    expect(backoffDelayMs(20, 1000, () => 0.999, 60_000)).toBeLessThan(60_000);
  });

  it('an outage is back-filled from the cursor in bounded chunks, never beyond the maximum', () => {
    const now = new Date('2026-07-28T12:00:00Z');
    const limits = { backfillChunkMinutes: 120, backfillMaxMinutes: 24 * 60 };
    const w = planWindows(now, new Date('2026-07-28T07:00:00Z'), limits);
    expect(w.map((x) => [x.from.toISOString().slice(11, 16), x.to.toISOString().slice(11, 16)])).toEqual([
      ['07:00', '09:00'],
      ['09:00', '11:00'],
      ['11:00', '12:00'],
    ]);
    expect(planWindows(now, new Date('2026-07-01T00:00:00Z'), limits)[0].from.toISOString()).toBe('2026-07-27T12:00:00.000Z');
    expect(planWindows(now, null, limits)).toEqual([{ from: new Date('2026-07-28T10:00:00Z'), to: now }]);
    expect(planWindows(now, now, limits)).toEqual([{ from: now, to: now }]);
  });

  it('config: a bad cron, duplicate names and a lone fromParam are refused at boot', () => {
    const base = { name: 'a', adapter: 'hko-hourly-rainfall', url: 'http://x.test/', cron: '*/5 * * * *', timeoutMs: 1000, retries: 1 };
    expect(polledFeedsSchema.safeParse([base]).success).toBe(true);
    const bad = polledFeedsSchema.safeParse([
      { ...base, cron: 'every minute' },
      base,
      {
        ...base,
        name: 'b',
        adapter: 'generic-json',
        mapping: { itemsPath: '', stationField: 's', timeField: 't', valueField: 'v', unit: 'mm', fromParam: 'from' },
      },
    ]);
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['0.cron', '1.name', '2.mapping']));
  });
});
