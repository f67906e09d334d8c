import request from 'supertest';
import { WhoMustAnswerService } from '@fangxun/geo';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { loginAll, seedUsers, TREE } from '../support/fixtures';
import { addHolder, addRiskObject, box, GRID_A2, lonDegrees, point, seedSpatialTree } from './spatial-fixtures';

interface Reason {
  kind: string;
  via: Record<string, string>;
  text: string;
}
interface Person {
  holderId: string;
  name: string;
  role: string;
  level: string;
  reasons: Reason[];
  unreachableReason?: string;
}

const AREA = box(121.16, 28.82, 121.18, 28.84);

describe('who must answer for an area: holders, grid holders, administrative holders and the 包保 chain, once per person', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const h: Record<string, string> = {};
  const ask = (user: string, body: object) =>
    request(t.http).post('/api/v1/spatial/who-must-answer').set('Authorization', `Bearer ${tok[user]}`).send(body);
  const names = (people: Person[]) => people.map((p) => p.name);
  const reasonsOf = (people: Person[], name: string) =>
    people.find((p) => p.name === name)!.reasons.map((r) => [r.kind, r.via.riskObjectCode ?? r.via.divisionCode ?? r.via.holderId]);

  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    await seedSpatialTree(t.ds);
    await seedUsers(t.ds);
    tok = await loginAll(t);
    const add = async (
      key: string,
      name: string,
      role: Parameters<typeof addHolder>[1]['role'],
      division: string,
      superior?: string,
      active = true,
    ) => (h[key] = await addHolder(t.ds, { name, role, division, superior: superior && h[superior], active }));
    await add('L1', '陈市长', 'city_leader', TREE.city);
    await add('L2', '林副市长', 'city_leader', TREE.city);
    await add('TA', '李镇长', 'town_head', TREE.townA, 'L1');
    await add('TD', '周副镇长', 'town_deputy', TREE.townA, 'L1');
    await add('VA', '王书记', 'village_head', TREE.villageA, 'TD');
    await add('VC', '赵干部', 'village_cadre', TREE.villageA, 'TD');
    await add('VX', '钱停用', 'village_cadre', TREE.villageA, 'TD', false);
    await add('GW', '张预警', 'flash_flood_warner', TREE.gridA, 'VA');
    await add('GP', '孙巡查', 'patroller', GRID_A2, 'VA');
    await add('TB', '吴镇长', 'town_head', TREE.townB, 'L2');
    await add('VB', '郑书记', 'village_head', TREE.villageB, 'TB');
    await add('GB', '冯预警', 'flash_flood_warner', TREE.gridB, 'VB');
    await add('O', '何外', 'village_cadre', TREE.villageB, 'VB');
    const v = TREE.villageA;
    // 王书记 holds two zones; the holder of a third answers to him.
    await addRiskObject(t.ds, {
      code: 'LH-SH-001',
      division: v,
      geom: box(121.165, 28.825, 121.17, 28.83),
      primary: h.VA,
      backup: h.VC,
      people: 30,
    });
    await addRiskObject(t.ds, { code: 'LH-SH-002', division: v, geom: box(121.18, 28.825, 121.19, 28.83), primary: h.VA, backup: h.VX });
    await addRiskObject(t.ds, { code: 'LH-SH-003', division: v, geom: box(121.145, 28.831, 121.165, 28.835), primary: h.GW });
    await addRiskObject(t.ds, {
      code: 'LH-SH-004',
      division: v,
      geom: box(121.18 + lonDegrees(1, 28.835), 28.832, 121.19, 28.838),
      primary: h.O,
    });
    await addRiskObject(t.ds, { code: 'P-A', type: 'dilapidated_house', division: TREE.villageA, geom: point(121.19, 28.88) });
    await addRiskObject(t.ds, { code: 'P-B', type: 'dilapidated_house', division: TREE.villageB, geom: point(121.21, 28.88) });
    await addRiskObject(t.ds, { code: 'H-SEAM', type: 'dilapidated_house', division: TREE.villageA, geom: point(121.15, 28.86) });
  });
  afterAll(() => t.close());

  it('names each person once with every reason, city → town → village → grid; the zone 1 m outside adds nobody', async () => {
    const res = await ask('duty', { polygon: AREA }).expect(200);
    expect(res.body.riskObjects.map((o: { code: string; relation: string }) => [o.code, o.relation])).toEqual([
      ['LH-SH-001', 'inside'],
      ['LH-SH-002', 'touching'],
      ['LH-SH-003', 'overlapping'],
    ]);
    expect(res.body.divisions.map((d: { code: string }) => d.code)).toEqual([TREE.townA, TREE.villageA]);
    const people = res.body.people as Person[];
    expect(names(people)).toEqual(['陈市长', '李镇长', '周副镇长', '王书记', '赵干部', '孙巡查', '张预警']);
    expect(people.map((p) => p.level)).toEqual(['city', 'town', 'town', 'village', 'village', 'grid', 'grid']);
    expect(new Set(people.map((p) => p.holderId)).size).toBe(people.length);
    expect(reasonsOf(people, '王书记')).toEqual([
      ['primary_holder', 'LH-SH-001'],
      ['primary_holder', 'LH-SH-002'],
      ['village_holder', TREE.villageA],
      // subordinates in display order: patroller before flash-flood warner (role order)
      ['superior', h.GP],
      ['superior', h.GW],
    ]);
    const wang = people.find((p) => p.name === '王书记')!;
    expect(wang.reasons[0]).toEqual({
      kind: 'primary_holder',
      via: { riskObjectCode: 'LH-SH-001' },
      text: '山洪危险区 LH-SH-001 的责任人',
    });
    expect(wang.reasons[4].text).toBe('张预警（东湖村第一网格山洪预警员）的包保上级');
    const zhang = people.find((p) => p.name === '张预警')!;
    expect(zhang.reasons.map((r) => [r.kind, r.via])).toEqual([
      ['primary_holder', { riskObjectCode: 'LH-SH-003' }],
      ['grid_holder', { divisionCode: TREE.gridA, riskObjectCode: 'LH-SH-001' }],
      ['grid_holder', { divisionCode: TREE.gridA, riskObjectCode: 'LH-SH-002' }],
      ['grid_holder', { divisionCode: TREE.gridA, riskObjectCode: 'LH-SH-003' }],
    ]);
    // LH-SH-003 crosses from G01 into G02, so G02's patroller answers too.
    expect(people.find((p) => p.name === '孙巡查')!.reasons.map((r) => r.via)).toEqual([
      { divisionCode: GRID_A2, riskObjectCode: 'LH-SH-003' },
    ]);
    expect(reasonsOf(people, '赵干部')).toEqual([
      ['backup_holder', 'LH-SH-001'],
      ['village_holder', TREE.villageA],
    ]);
    expect(reasonsOf(people, '陈市长')).toEqual([
      ['superior', h.TA],
      ['superior', h.TD],
    ]);
    expect(names(people)).not.toContain('何外');
  });

  it('lists inactive holders apart as unreachable, with why they would have been called', async () => {
    const res = await ask('commander', { polygon: AREA }).expect(200);
    const [qian, ...others] = res.body.unreachable as Person[];
    expect(others).toEqual([]);
    expect(qian).toMatchObject({ name: '钱停用', unreachableReason: expect.stringMatching(/^inactive/) });
    expect(qian.reasons.map((r) => [r.kind, r.via.riskObjectCode ?? r.via.divisionCode])).toEqual([
      ['backup_holder', 'LH-SH-002'],
      ['village_holder', TREE.villageA],
    ]);
    // …and their superior still answers for them.
    expect(reasonsOf(res.body.people, '周副镇长')).toContainEqual(['superior', h.VX]);
  });

  it('climbs from a grid without boundary to the city leader, across the town border', async () => {
    const res = await ask('commander', { circle: { center: [121.2, 28.88], radiusKm: 2 } }).expect(200);
    expect(res.body.riskObjects.map((o: { code: string }) => o.code)).toEqual(['P-A', 'P-B']);
    const people = res.body.people as Person[];
    const feng = people.find((p) => p.name === '冯预警')!;
    expect(feng.reasons).toEqual([
      {
        kind: 'grid_holder',
        via: { divisionCode: TREE.gridB, riskObjectCode: 'P-B' },
        text: `网格岭根村第一网格（${TREE.gridB}）的网格责任人：危旧房 P-B 所在村（岭根村）的网格未划边界`,
      },
    ]);
    for (const [name, sub] of [
      ['郑书记', 'GB'],
      ['吴镇长', 'VB'],
      ['林副市长', 'TB'],
    ] as const) {
      expect(reasonsOf(people, name)).toContainEqual(['superior', h[sub]]);
    }
    expect(names(people).slice(0, 2)).toEqual(['陈市长', '林副市长']);
  });

  it('an object on the seam between two grids is answered for by every grid of its village', async () => {
    const res = await ask('commander', { circle: { center: [121.15, 28.86], radiusKm: 0.1 } }).expect(200);
    expect(res.body.riskObjects.map((o: { code: string }) => o.code)).toEqual(['H-SEAM']);
    const grid = (res.body.people as Person[]).filter((p) => p.level === 'grid');
    expect(grid.map((p) => [p.name, p.reasons[0].text])).toEqual([
      ['孙巡查', `网格东湖村第二网格（${GRID_A2}）的网格责任人：危旧房 H-SEAM 不在任何网格边界内，按所在村（东湖村）通知`],
      ['张预警', `网格东湖村第一网格（${TREE.gridA}）的网格责任人：危旧房 H-SEAM 不在任何网格边界内，按所在村（东湖村）通知`],
    ]);
  });

  it("a town admin's named divisions stay in its town; the chain above still reaches the city leader", async () => {
    const res = await ask('admin-b', { divisionCodes: [TREE.townB] }).expect(200);
    expect(res.body.riskObjects.map((o: { code: string }) => o.code)).toEqual(['P-B']);
    expect(names(res.body.people)).toEqual(['林副市长', '吴镇长', '郑书记', '何外', '冯预警']);
    await ask('admin-b', { divisionCodes: [TREE.townA] }).expect(403);
  });

  it('is a service the wake-up can call without a user (whole city in scope)', async () => {
    const viaService = await t.app.get(WhoMustAnswerService).resolve({ polygon: AREA });
    const viaHttp = await ask('commander', { polygon: AREA }).expect(200);
    expect(viaService).toEqual(viaHttp.body);
    await expect(t.app.get(WhoMustAnswerService).resolve({ circle: { center: [121.2, 28.88], radiusKm: -1 } })).rejects.toMatchObject({
      kind: { code: 'VALIDATION_FAILED' },
      details: [{ field: 'circle.radiusKm' }],
    });
  });
});
