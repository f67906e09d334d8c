import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { cnCap, TOWNS, WORLD } from '../wakeup/cn-world';
import { Client, commandClient, connected, eventually } from '../wakeup/wakeup.support';
import { bootResponseWorld, ResponseApp, tickAll } from './incident.support';

/**
 * A posted red rainstorm CAP over 大田 and 邵家渡 wakes their people (red: 10 minutes) and makes
 * the rule "暴雨红色预警" propose flood IV for exactly those towns, live on /command. Confirmed,
 * IV's 20 minutes leave the red campaign alone; raised to III at 08:03, the silent people of the
 * running campaign answer by III's 8 minutes (escalation at 08:09, once — not again at the old
 * 08:11), and the village heads III adds to the response's own campaign are woken.
 */
const T0 = new Date('2027-06-20T00:01:00Z'); // 08:01 Beijing
const at = (min: number) => new Date(T0.getTime() + min * 60_000).toISOString();
const RED = cnCap({
  identifier: '331082000QXT00_20270620080000_1',
  sent: '2027-06-20T08:00:00+08:00',
  event: '暴雨红色预警信号',
  headline: '临海市气象台发布暴雨红色预警信号',
  areas: [{ areaDesc: '大田街道、邵家渡街道', geocodes: ['331082004000', '331082005000'] }],
});
const BASE = '/api/v1/response/incidents';

describe('a red rainstorm CAP over two towns proposes flood IV; a raise to III re-plans the running campaign and wakes the newly obliged', () => {
  const clock = new FakeClock(T0);
  let t: ResponseApp;
  let ids: Record<string, string>;
  let tok: Record<string, string>;
  let screen: Client;
  let incident: { id: string; version: number };
  let warningCampaign: string;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const callOf = async (campaignId: string, key: string) =>
    (
      await t.ds.query('select id, deadline_at, escalated_at from wakeup_calls where campaign_id = $1 and holder_id = $2', [
        campaignId,
        ids[key],
      ])
    )[0];

  beforeAll(async () => {
    ({ t, ids, tok } = await bootResponseWorld(clock));
    screen = commandClient(t.url, tok.commander);
    await connected(screen.socket);
  });
  afterAll(async () => {
    screen?.socket.close();
    await t?.close();
  });

  it('the CAP wakes the two towns and proposes flood IV for exactly 大田 and 邵家渡, live on /command', async () => {
    await request(t.http).post('/api/v1/warnings').set(as('duty')).set('Content-Type', 'application/cap+xml').send(RED).expect(201);
    await tickAll(t, async () => {
      expect(await t.ds.query(`select count(*)::int as n from response_incidents`)).toEqual([{ n: 1 }]);
      expect(await t.ds.query(`select count(*)::int as n from wakeup_campaigns`)).toEqual([{ n: 1 }]);
    });
    const [row] = await t.ds.query(`select id from wakeup_campaigns`);
    warningCampaign = row.id;
    const [proposed] = (await request(t.http).get(BASE).set(as('commander')).expect(200)).body;
    expect(proposed).toMatchObject({ kind: 'flood', level: 'IV', status: 'proposed', source: 'rule', cityWide: false });
    expect(proposed.townCodes).toEqual([TOWNS.datian.code, TOWNS.shaojiadu.code]);
    expect(proposed.proposal).toMatchObject({ rule: '暴雨红色预警', level: 'IV', evidence: { level: 'red', kind: 'rainstorm' } });
    incident = proposed;
    await eventually(() => {
      const live = screen.events.find((e) => e.event === 'response.incident_changed' && e.data.action === 'propose');
      expect(live?.data.incident).toMatchObject({ id: incident.id, level: 'IV', status: 'proposed' });
    });
    // the same event again (a redelivery) proposes nothing more
    await t.response.tick();
    expect(
      (await request(t.http).get(`${BASE}/${incident.id}/history`).set(as('commander'))).body.map((h: { action: string }) => h.action),
    ).toEqual(['propose']);
    // audited once, as the rules' job, with the rule's evidence
    const audited = await request(t.http).get('/api/v1/audit').query({ incidentId: incident.id }).set(as('auditor')).expect(200);
    expect(audited.body.items).toEqual([
      expect.objectContaining({
        action: 'incident.propose',
        actor: expect.objectContaining({ kind: 'system', name: 'response.proposals' }),
        role: null,
        before: null,
        after: expect.objectContaining({ status: 'proposed', level: 'IV', proposal: expect.objectContaining({ rule: '暴雨红色预警' }) }),
      }),
    ]);
    // nobody woken by the response before a commander decides
    expect(await t.ds.query(`select count(*)::int as n from wakeup_campaigns where source_key like 'response:%'`)).toEqual([{ n: 0 }]);
  });

  it('confirmed: the town heads are woken by the response; IV (20 min) does not slow the red campaign (10 min)', async () => {
    const res = await request(t.http)
      .post(`${BASE}/${incident.id}/confirm`)
      .set(as('commander'))
      .send({ version: incident.version, reason: '会商同意', orderNo: '临防指〔2027〕12号' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'active', level: 'IV', orderNo: '临防指〔2027〕12号' });
    incident = res.body;
    expect((await callOf(warningCampaign, 'datian.grid')).deadline_at.toISOString()).toBe(at(10));
    const own = await t.ds.query(
      `select k.holder_id from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id where c.source_key = $1`,
      [`response:${incident.id}`],
    );
    expect(own.map((k: { holder_id: string }) => WORLD.find((p) => ids[p.key] === k.holder_id)!.key).sort()).toEqual([
      'datian.head',
      'shaojiadu.head',
    ]);
  });

  it('raised to III at 08:03: the silent calls of the running campaign answer by 08:09, the village heads are woken, the checklist and cadence follow', async () => {
    await t.jobs.tick(); // first SMS of everyone called so far
    clock.set(at(2));
    const res = await request(t.http)
      .post(`${BASE}/${incident.id}/raise`)
      .set(as('commander'))
      .send({ version: incident.version, level: 'III', reason: '大田站3小时雨量超100毫米' })
      .expect(200);
    expect(res.body).toMatchObject({
      level: 'III',
      reportIntervalMinutes: 360,
      nextReportDueAt: new Date(Date.parse(at(2)) + 360 * 60_000).toISOString(),
    });
    const silent = await callOf(warningCampaign, 'datian.grid');
    expect(silent.deadline_at.toISOString()).toBe(at(8));
    // one pending timer per silent call, never two
    const pending = await t.ds.query(
      `select count(*)::int as n, count(distinct call_id)::int as calls from wakeup_steps s join wakeup_calls k on k.id = s.call_id
       where k.campaign_id = $1 and s.state = 'pending'`,
      [warningCampaign],
    );
    expect(pending[0].n).toBe(pending[0].calls);
    const own = await t.ds.query(
      `select k.holder_id from wakeup_calls k join wakeup_campaigns c on c.id = k.campaign_id where c.source_key = $1`,
      [`response:${incident.id}`],
    );
    expect(own.map((k: { holder_id: string }) => WORLD.find((p) => ids[p.key] === k.holder_id)!.key).sort()).toEqual([
      'datian.head',
      'datian.secretary',
      'shaojiadu.head',
      'shaojiadu.secretary',
    ]);
    const [last] = (await request(t.http).get(`${BASE}/${incident.id}/history`).set(as('commander'))).body.slice(-1);
    expect(last).toMatchObject({
      action: 'raise',
      fromLevel: 'IV',
      toLevel: 'III',
      byWho: 'commander',
      effects: { woken: 2, measuresAdded: 3 * 2 },
    });
    expect(last.effects.replannedCalls).toBeGreaterThan(0);
    await eventually(() =>
      expect(screen.events.some((e) => e.event === 'response.incident_changed' && e.data.action === 'raise')).toBe(true),
    );
  });

  it("the silent person's escalation fires at III's deadline (08:09), once — not again at red's old 08:11", async () => {
    const { id: callId } = await callOf(warningCampaign, 'datian.grid');
    clock.set(at(7));
    await t.jobs.tick();
    expect(await t.ds.query('select count(*)::int as n from wakeup_escalations where from_call_id = $1', [callId])).toEqual([{ n: 0 }]);
    clock.set(at(8));
    await t.jobs.tick();
    const fired = await t.ds.query('select kind, at from wakeup_escalations where from_call_id = $1', [callId]);
    expect(fired.map((e: { kind: string; at: Date }) => `${e.kind}@${e.at.toISOString()}`)).toEqual([`superior@${at(8)}`]);
    expect((await callOf(warningCampaign, 'datian.grid')).escalated_at.toISOString()).toBe(at(8));
    clock.set(at(11));
    await t.jobs.tick();
    await t.jobs.tick();
    expect(await t.ds.query('select count(*)::int as n from wakeup_escalations where from_call_id = $1', [callId])).toEqual([{ n: 1 }]);
    expect(await t.ds.query(`select count(*)::int as n from wakeup_steps where call_id = $1 and kind = 'escalate'`, [callId])).toEqual([
      { n: 1 },
    ]);
  });

  it('a red warning over 江南 while the response is active is a suggestion, shown live, never applied by itself', async () => {
    const before = (await request(t.http).get(`${BASE}/${incident.id}`).set(as('commander')).expect(200)).body;
    const jiangnan = cnCap({
      identifier: '331082000QXT00_20270620081500_2',
      sent: '2027-06-20T08:15:00+08:00',
      event: '暴雨红色预警信号',
      headline: '临海市气象台发布暴雨红色预警信号',
      areas: [{ areaDesc: '江南街道', geocodes: ['331082002000'] }],
    });
    await request(t.http).post('/api/v1/warnings').set(as('duty')).set('Content-Type', 'application/cap+xml').send(jiangnan).expect(201);
    await tickAll(t, async () => {
      const now = (await request(t.http).get(`${BASE}/${incident.id}`).set(as('commander')).expect(200)).body;
      expect(now.suggestion).toMatchObject({ rule: '暴雨红色预警', level: 'IV', townCodes: [TOWNS.jiangnan.code] });
    });
    const after = (await request(t.http).get(`${BASE}/${incident.id}`).set(as('commander')).expect(200)).body;
    expect(after).toMatchObject({ level: 'III', version: before.version, townCodes: before.townCodes, status: 'active' });
    expect(await t.ds.query('select count(*)::int as n from response_incidents')).toEqual([{ n: 1 }]);
    const [last] = (await request(t.http).get(`${BASE}/${incident.id}/history`).set(as('commander'))).body.slice(-1);
    expect(last).toMatchObject({
      action: 'suggest',
      byWho: 'rule:暴雨红色预警',
      toTowns: [TOWNS.datian.code, TOWNS.shaojiadu.code, TOWNS.jiangnan.code],
    });
    await eventually(() =>
      expect(screen.events.some((e) => e.event === 'response.incident_changed' && e.data.action === 'suggest')).toBe(true),
    );
  });
});
