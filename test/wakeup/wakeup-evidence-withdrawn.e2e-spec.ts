import { ReadingIngestService, ThresholdTrigger } from '@fangxun/feeds';
import { truncateAll } from '../support/app';
import { FakeClock } from '../support/fake-clock';
import { loginAll, seedTree, seedUsers, TREE } from '../support/fixtures';
import { bootWakeup, tickUntil, WakeupApp } from './wakeup.support';
import { Person, seedWorld } from './wakeup.world';

const T0 = new Date('2026-07-01T08:00:00Z');

/**
 * The alarm a single gauge raised is withdrawn when its neighbours disprove it: a 60 mm / 10 min
 * reading at G1 (beside the flash-flood zone FF-A, in 东湖村) with no neighbour reports yet
 * raises orange for 古城街道 and 准备转移 for FF-A and wakes their holders; the neighbours' zeros
 * then show it a spike. The evaluation that push triggers withdraws both warnings at once — no
 * 60-minute hysteresis hold — so the campaigns close, their timers stop and nobody is escalated.
 * The API boots without the worker's threshold tick: every threshold change here is the
 * evaluation an ingest triggered, at the test clock's now.
 */
describe('a warning raised on one gauge’s spike is withdrawn when the neighbours report dry, and its wake-up stands down', () => {
  const clock = new FakeClock(T0);
  let t: WakeupApp;
  let ids: Record<Person, string>;
  let ingest: ReadingIngestService;
  const settle = () => t.app.get(ThresholdTrigger).idle();
  const count = async (sql: string, params: unknown[] = []) => ((await t.ds.query(sql, params)) as Array<{ n: number }>)[0].n;
  const tenMinutes = (stationCode: string, value: number) => ({ stationCode, observedAt: T0.toISOString(), value, intervalMinutes: 10 });
  let callSmsAfterStart = 0;
  let callTemplates: string[] = [];
  let callsAfterStart = 0;

  beforeAll(async () => {
    t = await bootWakeup(clock);
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
    ids = await seedWorld(t.ds);
    await loginAll(t);
    ingest = t.app.get(ReadingIngestService);
    // G1 inside FF-A; G2 and G3 2.5–4 km away (within the 10 km neighbour radius and the 5 km flash-flood radius).
    await t.ds.query(
      `insert into stations (code, name, geom, division_id, kind, owner)
       select v.code, v.name, st_setsrid(st_makepoint(v.lon, v.lat), 4326), d.id, 'rain', 'water_resources'
       from (values ('G1', '东湖雨量站', 121.035, 28.835), ('G2', '东湖东雨量站', 121.06, 28.84), ('G3', '东湖北雨量站', 121.03, 28.87))
              as v(code, name, lon, lat), divisions d
       where d.code = $1`,
      [TREE.villageA],
    );
    // FF-A: 准备转移 at 40 mm in an hour, 立即转移 at 80 mm. Filed under its village: a threshold
    // warning names the zone's division as its geocode, and a grid code is no geocode.
    await t.ds.query(`update risk_objects set division_id = (select id from divisions where code = $1) where code = 'FF-A'`, [
      TREE.villageA,
    ]);
    await t.ds.query(
      `insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm)
       select id, 1, 40, 80 from risk_objects where code = 'FF-A'`,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('60 mm in 10 minutes at G1, nobody else reporting yet: orange for 古城街道, 准备转移 for FF-A, their holders called', async () => {
    expect(await ingest.ingest([tenMinutes('G1', 60)], 'push')).toMatchObject({ accepted: 1, flagged: 0, reflagged: [] });
    await settle();
    const active = await t.ds.query(`select kind::text as kind, level::text as level from warnings where state = 'active' order by kind`);
    expect(active).toEqual([
      { kind: 'flash_flood', level: 'orange' },
      { kind: 'rainstorm', level: 'orange' },
    ]);
    expect(await t.ds.query(`select status::text as s from risk_objects where code = 'FF-A'`)).toEqual([{ s: 'prepare' }]);
    await tickUntil(t, async () => expect(await count(`select count(*)::int as n from wakeup_campaigns where state = 'active'`)).toBe(2));
    callsAfterStart = await count('select count(*)::int as n from wakeup_calls');
    callTemplates = (await t.ds.query('select distinct template from sms_messages')).map((r: { template: string }) => r.template);
    callSmsAfterStart = await count('select count(*)::int as n from sms_messages');
    expect(callSmsAfterStart).toBeGreaterThanOrEqual(callsAfterStart);
    expect(callsAfterStart).toBeGreaterThan(0);
    // the zone's own warner is among them; the mayor (top of the chain) is not called at once
    expect(await count('select count(*)::int as n from wakeup_calls where holder_id = $1', [ids.warnerA])).toBeGreaterThan(0);
    expect(await count('select count(*)::int as n from wakeup_calls where holder_id = $1', [ids.mayor])).toBe(0);
  });

  it('the neighbours’ zeros re-flag G1 as a spike, and the evaluation that push triggers withdraws both warnings with the reason', async () => {
    const report = await ingest.ingest([tenMinutes('G2', 0), tenMinutes('G3', 0)], 'push');
    expect(report).toMatchObject({ accepted: 2, flagged: 0 });
    expect(report.reflagged).toEqual([
      expect.objectContaining({ stationCode: 'G1', value: 60, reason: expect.stringMatching(/^spike: 60 mm in the hour/) }),
    ]);
    await settle();
    // The clock has not moved: a hysteresis hold would have kept both for 60 minutes.
    expect(await count(`select count(*)::int as n from warnings where state = 'active'`)).toBe(0);
    const cancels: Array<{ description: string }> = await t.ds.query(
      `select infos -> 0 ->> 'description' as description from warnings where msg_type = 'Cancel'`,
    );
    expect(cancels).toHaveLength(2);
    for (const c of cancels)
      expect(c.description).toMatch(/^证据失效，警报撤回：.*（G1 60 mm）已判为可疑 — alarm withdrawn: evidence suspect$/);
    expect(await t.ds.query(`select status::text as s from risk_objects where code = 'FF-A'`)).toEqual([{ s: 'normal' }]);
    const events: Array<{ rule: string; direction: string; reason: string }> = await t.ds.query(
      `select rule, direction, reason from threshold_events where direction = 'lift' order by rule`,
    );
    expect(events.map((e) => [e.rule, e.direction])).toEqual([
      ['flash_flood', 'lift'],
      ['rainstorm', 'lift'],
    ]);
    for (const e of events) expect(e.reason).toMatch(/^证据失效/);
  });

  it('both campaigns close, their timers stop, and past the deadline nobody is reminded or escalated', async () => {
    await tickUntil(t, async () => {
      const rows: Array<{ state: string; close_reason: string }> = await t.ds.query(`select state, close_reason from wakeup_campaigns`);
      expect(rows).toEqual([
        { state: 'closed', close_reason: expect.stringMatching(/^证据失效，警报撤回：/) },
        { state: 'closed', close_reason: expect.stringMatching(/^证据失效，警报撤回：/) },
      ]);
    });
    expect(await count(`select count(*)::int as n from wakeup_steps where state = 'pending'`)).toBe(0);
    // orange: reminders at 5 and 10 minutes, deadline at 15 (config/default.yaml wakeup.policies.orange)
    for (const minutes of [5, 5, 6, 10]) {
      clock.advance(minutes);
      await t.jobs.tick();
    }
    expect(await count('select count(*)::int as n from wakeup_escalations')).toBe(0);
    expect(await count('select count(*)::int as n from wakeup_calls')).toBe(callsAfterStart);
    expect(await count('select count(*)::int as n from wakeup_calls where holder_id = $1', [ids.mayor])).toBe(0);
    // no reminder or escalation SMS after the stand-down (the stand-down message is checked below)
    expect(await count('select count(*)::int as n from sms_messages where template = any($1)', [callTemplates])).toBe(callSmsAfterStart);
    expect(await count(`select count(*)::int as n from sms_messages where template = 'escalation'`)).toBe(0);
  });

  it('everyone who was called is told once, by push and by SMS, that the alarm was withdrawn (证据失效), and nobody twice', async () => {
    // issue 13's stand-down: one wakeup.stand_down on the person's /warden room and one stand_down SMS per call
    const sms: Array<{ refId: string; reason: string }> = await t.ds.query(
      `select ref_id as "refId", params ->> 'reason' as reason from sms_messages where template = 'stand_down'`,
    );
    expect(sms).toHaveLength(callsAfterStart);
    expect(new Set(sms.map((x) => x.refId)).size).toBe(callsAfterStart);
    for (const x of sms) expect(x.reason).toMatch(/^证据失效，警报撤回：/);
    const pushes: Array<{ callId: string; reason: string }> = await t.ds.query(
      `select payload ->> 'callId' as "callId", payload ->> 'reason' as reason from realtime_events where event = 'wakeup.stand_down'`,
    );
    expect(pushes).toHaveLength(callsAfterStart);
    expect(new Set(pushes.map((x) => x.callId)).size).toBe(callsAfterStart);
    for (const x of pushes) expect(x.reason).toMatch(/^证据失效，警报撤回：.*alarm withdrawn: evidence suspect$/);
    // open calls closed as cancelled, none left standing
    expect(
      await count(`select count(*)::int as n from wakeup_calls where received_at is null and closed_state is distinct from 'cancelled'`),
    ).toBe(0);
    // more ticks tell nobody again
    await t.jobs.tick();
    expect(await count(`select count(*)::int as n from sms_messages where template = 'stand_down'`)).toBe(callsAfterStart);
  });
});
