import request from 'supertest';
import { StationLivenessService } from '@fangxun/feeds';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { bjt, createGauges, feedsKey } from './gauges.fixtures';

describe('feed health on the outbox: a station going silent and coming back is announced once each', () => {
  let t: TestApp;
  let key: string;
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3_600_000);
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
  let seen = 0;
  /** feed_health events appended since the last call (read straight from the outbox table). */
  const appended = async (): Promise<Array<{ topic: string; key: string; payload: Record<string, unknown> }>> => {
    const rows = await t.ds.query(`select topic, key, payload from outbox_events where topic like 'feed_health.%' order by id offset $1`, [
      seen,
    ]);
    seen += rows.length;
    return rows;
  };

  beforeAll(async () => {
    const f = await bootWithFixtures();
    t = f.t;
    await createGauges(t, f.tok.commander);
    key = await feedsKey(t, f.tok.commander);
    await t.ds.query(`update stations set created_at = $1`, [start]);
    // Only R-A1 is watched here: the others are switched off.
    await t.ds.query(`update stations set active = false where code <> 'R-A1'`);
  });
  afterAll(() => t.close());

  it('appends feed_health.station_silent when the liveness pass silences R-A1, once for two concurrent passes', async () => {
    await request(t.http)
      .post('/api/v1/readings')
      .set('X-API-Key', key)
      .send([{ stationCode: 'R-A1', observedAt: bjt(start, 30), value: 1 }])
      .expect(200);
    const liveness = t.app.get(StationLivenessService);
    expect((await liveness.check(at(89))).silenced).toEqual([]);
    expect(await appended()).toEqual([]);
    await Promise.all([liveness.check(at(91)), liveness.check(at(91))]);
    const events = await appended();
    const [alert] = await t.ds.query(`select id from feed_health_alerts where closed_at is null`);
    const [station] = await t.ds.query(`select id from stations where code = 'R-A1'`);
    expect(events).toEqual([
      expect.objectContaining({
        topic: 'feed_health.station_silent',
        key: station.id,
        payload: {
          stationId: station.id,
          stationCode: 'R-A1',
          stationName: '古城一号雨量站',
          kind: 'rain',
          divisionCode: TREE.townA,
          alertId: alert.id,
          lastObservedAt: at(30).toISOString(),
          at: at(91).toISOString(),
        },
      }),
    ]);
  });

  it('appends feed_health.station_recovered in the ingest that brings R-A1 back, and nothing for a later reading', async () => {
    const [alert] = await t.ds.query(`select id from feed_health_alerts where closed_at is null`);
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const send = (d: Date) =>
      request(t.http)
        .post('/api/v1/readings')
        .set('X-API-Key', key)
        .send([{ stationCode: 'R-A1', observedAt: d.toISOString(), value: 0 }])
        .expect(200);
    await send(new Date(now.getTime() - 60_000));
    await send(now);
    const events = await appended();
    expect(events).toEqual([
      expect.objectContaining({
        topic: 'feed_health.station_recovered',
        payload: expect.objectContaining({
          stationCode: 'R-A1',
          alertId: alert.id,
          lastObservedAt: new Date(now.getTime() - 60_000).toISOString(),
        }),
      }),
    ]);
    const [{ closed }] = await t.ds.query(
      `select count(*)::int as closed from feed_health_alerts where id = $1 and closed_at is not null`,
      [alert.id],
    );
    expect(closed).toBe(1);
  });
});
