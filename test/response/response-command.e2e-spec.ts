import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { TOWNS } from '../wakeup/cn-world';
import { Client, commandClient, connected, eventually } from '../wakeup/wakeup.support';
import { bootResponseWorld, ResponseApp } from './incident.support';

/**
 * The command side of a started response: the 11 standard steps and the three tiers' groups are
 * there from the start; the HQ staffs a group with a holder and a user, walks a step; the Datian
 * plain plan, activated, adds its groups and steps and names its control points — 14 roads and
 * 23 points found in the geo register by the names the geo seed gives them
 * (libs/geo/src/seed/works-risk-plan.ts: 大田平原N号管控道路 / 大田平原N号管控点位（村）), and not
 * a low-lying point of another kind or another town.
 */
const T0 = new Date('2027-06-20T00:01:00Z');
const BASE = '/api/v1/response/incidents';
const ZH = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const zh = (n: number) =>
  n <= 10 ? ZH[n - 1] : n < 20 ? `十${ZH[n - 11]}` : `${ZH[Math.floor(n / 10) - 1]}十${n % 10 ? ZH[(n % 10) - 1] : ''}`;

describe('steps, HQ groups and the Datian plain plan', () => {
  const clock = new FakeClock(T0);
  let t: ResponseApp;
  let ids: Record<string, string>;
  let tok: Record<string, string>;
  let id: string;
  let screen: Client;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });

  beforeAll(async () => {
    ({ t, ids, tok } = await bootResponseWorld(clock));
    const put = (code: string, name: string, division: string, wkt: string) =>
      t.ds.query(
        `insert into risk_objects (code, name, type, division_id, geom) select $1, $2, 'low_lying_point', d.id, ST_GeomFromText($3, 4326)
         from divisions d where d.code = $4`,
        [code, name, wkt, division],
      );
    for (let i = 1; i <= 14; i++)
      await put(`DW-R${i}`, `大田平原${zh(i)}号管控道路`, TOWNS.datian.code, `LINESTRING(121.11 28.${70 + i}, 121.19 28.${70 + i})`);
    for (let i = 1; i <= 23; i++)
      await put(`DW-P${i}`, `大田平原${zh(i)}号管控点位（大田村）`, TOWNS.datian.village, `POINT(121.1${i % 10} 28.8${i % 10})`);
    await put('DW-X1', '大田平原积水点', TOWNS.datian.code, 'POINT(121.15 28.85)');
    await put('DW-X2', '大田平原一号管控点位（邵家渡）', TOWNS.shaojiadu.village, 'POINT(121.25 28.85)');
    screen = commandClient(t.url, tok.commander);
    await connected(screen.socket);
    const res = await request(t.http)
      .post(BASE)
      .set(as('commander'))
      .send({ kind: 'flood', level: 'IV', townCodes: [TOWNS.datian.code], reason: '大田平原内涝' })
      .expect(201);
    id = res.body.id;
  });
  afterAll(async () => {
    screen?.socket.close();
    await t?.close();
  });

  it('a started response has the 11 standard steps in order and the three tiers: emergency 1+6, special 1, on-site 1+8', async () => {
    const steps = (await request(t.http).get(`${BASE}/${id}/steps`).set(as('commander')).expect(200)).body;
    expect(steps.map((s: { name: string }) => s.name)).toEqual(t.config.response.steps.map((s) => s.name));
    expect(steps).toHaveLength(11);
    expect(steps.slice(0, 4).map((s: { name: string }) => s.name)).toEqual(['信息接报', '会商研判', '响应启动', '现场处置']);
    expect(steps.every((s: { status: string }) => s.status === 'pending')).toBe(true);
    const tiers = (await request(t.http).get(`${BASE}/${id}/tiers`).set(as('commander')).expect(200)).body;
    expect(tiers.map((x: { tier: string; mode: string | null; groups: unknown[] }) => [x.tier, x.mode, x.groups.length])).toEqual([
      ['emergency', '1+6', 7],
      ['special', null, 1],
      ['onsite', '1+8', 9],
    ]);
    expect(tiers[0].groups[0]).toMatchObject({ code: 'emergency_lead', name: '应急指挥部', isLead: true });
  });

  it('the HQ staffs a group with a holder and a user; unknown people are refused naming the field', async () => {
    const [{ id: userId }] = await t.ds.query(`select id from users where username = 'duty'`);
    const res = await request(t.http)
      .post(`${BASE}/${id}/groups/coordination/members`)
      .set(as('commander'))
      .send({ holderIds: [ids['datian.head']], userIds: [userId] })
      .expect(201);
    expect(res.body.members.map((x: { name: string; holderId: string | null }) => [x.name, !!x.holderId])).toEqual([
      ['镇长大田', true],
      ['duty', false],
    ]);
    const bad = await request(t.http)
      .post(`${BASE}/${id}/groups/coordination/members`)
      .set(as('commander'))
      .send({ holderIds: [ids['datian.head'], '00000000-0000-4000-8000-000000000000'] })
      .expect(422);
    expect(bad.body.details[0].field).toBe('holderIds[1]');
    await request(t.http)
      .post(`${BASE}/${id}/groups/nope/members`)
      .set(as('commander'))
      .send({ holderIds: [ids['datian.head']] })
      .expect(404);
    await request(t.http)
      .post(`${BASE}/${id}/groups/coordination/members`)
      .set(as('admin-a'))
      .send({ holderIds: [ids['datian.head']] })
      .expect(403);
  });

  it('a step is started, ticked off, annotated and done; a done step stays done (409 naming the rule)', async () => {
    const path = `${BASE}/${id}/steps/consultation`;
    clock.set(new Date(T0.getTime() + 5 * 60_000));
    await request(t.http).patch(path).set(as('duty')).send({ status: 'started', note: '召开会商' }).expect(200);
    clock.set(new Date(T0.getTime() + 30 * 60_000));
    const done = await request(t.http)
      .patch(path)
      .set(as('commander'))
      .send({
        status: 'done',
        checklist: [
          { index: 0, done: true },
          { index: 1, done: true },
        ],
        note: '研判：大田平原需封闭道路',
      })
      .expect(200);
    expect(done.body).toMatchObject({
      status: 'done',
      startedAt: '2027-06-20T00:06:00.000Z',
      doneAt: '2027-06-20T00:31:00.000Z',
      updatedBy: 'commander',
    });
    expect(done.body.checklist.every((c: { done: boolean; doneBy: string }) => c.done && c.doneBy === 'commander')).toBe(true);
    expect(done.body.notes.map((n: { by: string }) => n.by)).toEqual(['duty', 'commander']);
    const again = await request(t.http).patch(path).set(as('commander')).send({ status: 'started' }).expect(409);
    expect(again.body).toMatchObject({ code: 'COMMAND_STEP_STATE_RULE' });
    expect(again.body.message).toMatch(/a-finished-step-stays-finished/);
    await request(t.http)
      .patch(path)
      .set(as('commander'))
      .send({ checklist: [{ index: 5, done: true }] })
      .expect(400);
    await request(t.http).patch(`${BASE}/${id}/steps/launch`).set(as('admin-a')).send({ status: 'started' }).expect(403);
    await eventually(() => expect(screen.events.some((e) => e.event === 'response.step_changed')).toBe(true));
  });

  it('the Datian plain plan adds its groups, its steps after the standard ones, and names its 14 roads and 23 points, once', async () => {
    const plans = (await request(t.http).get('/api/v1/response/plans').set(as('duty')).expect(200)).body;
    expect(plans.map((p: { code: string }) => p.code)).toContain('datian_plain_flood');
    const res = await request(t.http).post(`${BASE}/${id}/plans/datian_plain_flood/activate`).set(as('commander')).expect(200);
    expect(res.body).toMatchObject({ planCode: 'datian_plain_flood', groups: 3, steps: 2, controlPoints: 37, shortfall: [] });
    const points = (await request(t.http).get(`${BASE}/${id}/control-points`).set(as('commander')).expect(200)).body;
    expect(points.filter((c: { kind: string }) => c.kind === 'road')).toHaveLength(14);
    expect(points.filter((c: { kind: string }) => c.kind === 'point')).toHaveLength(23);
    expect(points.map((c: { code: string }) => c.code)).not.toContain('DW-X1');
    expect(points.map((c: { code: string }) => c.code)).not.toContain('DW-X2');
    const steps = (await request(t.http).get(`${BASE}/${id}/steps`).set(as('commander'))).body;
    expect(steps.slice(11).map((s: { code: string; planCode: string }) => [s.code, s.planCode])).toEqual([
      ['datian_roads_closed', 'datian_plain_flood'],
      ['datian_pumps', 'datian_plain_flood'],
    ]);
    const tiers = (await request(t.http).get(`${BASE}/${id}/tiers`).set(as('commander'))).body;
    expect(tiers[1].groups.map((g: { code: string }) => g.code)).toEqual([
      'special_lead',
      'datian_hq',
      'datian_road_control',
      'datian_drainage',
    ]);
    const twice = await request(t.http).post(`${BASE}/${id}/plans/datian_plain_flood/activate`).set(as('commander')).expect(409);
    expect(twice.body.code).toBe('SPECIAL_PLAN_ALREADY_ACTIVE');
    await request(t.http).post(`${BASE}/${id}/plans/nope/activate`).set(as('commander')).expect(404);
    await eventually(() => expect(screen.events.some((e) => e.event === 'response.plan_activated')).toBe(true));
  });

  it('a control point is marked controlled; the record names who', async () => {
    const [road] = (await request(t.http).get(`${BASE}/${id}/control-points`).set(as('commander'))).body;
    const res = await request(t.http)
      .patch(`${BASE}/${id}/control-points/${road.id}`)
      .set(as('duty'))
      .send({ status: 'controlled' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'controlled', statusBy: 'duty' });
    await request(t.http).patch(`${BASE}/${id}/control-points/${road.id}`).set(as('duty')).send({ status: 'closed' }).expect(400);
  });

  it("the incident's audit trail holds each change above once, by who made it; refusals left no row", async () => {
    const res = await request(t.http).get('/api/v1/audit').query({ incidentId: id, limit: 500 }).set(as('auditor')).expect(200);
    const rows = (res.body.items as Array<{ action: string; actor: { name: string }; before: unknown; after: Record<string, unknown> }>)
      .filter((r) => !r.action.startsWith('wakeup'))
      .reverse();
    expect(rows.map((r) => `${r.action} ${r.actor.name}`)).toEqual([
      'incident.start commander',
      'group.staff commander',
      'step.update duty',
      'step.update commander',
      'plan.activate commander',
      'control_point.update duty',
    ]);
    const [, staff, , , plan, point] = rows;
    expect(staff.before).toEqual({ members: [] });
    expect((staff.after.members as Array<{ name: string }>).map((x) => x.name)).toEqual(['镇长大田', 'duty']);
    expect(plan).toMatchObject({ before: null, after: { planCode: 'datian_plain_flood' } });
    expect(point).toMatchObject({ before: { status: 'pending' }, after: { status: 'controlled' } });
  });
});
