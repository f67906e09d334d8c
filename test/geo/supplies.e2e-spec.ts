import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

describe('supply depots and their stock', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let keeper: string;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const api = (path: string) => `/api/v1${path}`;
  const depot = (user: string, code: string, divisionCode: string, extra: object = {}) =>
    request(t.http)
      .post(api('/supply-depots'))
      .set(as(user))
      .send({ code, name: `${code} 仓库`, divisionCode, location: { type: 'Point', coordinates: [121.15, 28.86] }, ...extra });
  const set = (user: string, code: string, body: object) =>
    request(t.http)
      .put(api(`/supply-depots/${code}/stock`))
      .set(as(user))
      .send(body);
  const adjust = (user: string, code: string, body: object) =>
    request(t.http)
      .post(api(`/supply-depots/${code}/stock/adjust`))
      .set(as(user))
      .send(body);

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    keeper = (
      await request(t.http)
        .post(api('/holders'))
        .set(as('commander'))
        .send({ name: '仓管员', role: 'town_liaison', divisionCode: TREE.townA, mobile: '13900000301' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('registers depots in the city and in each town, with a keeper on the depot’s branch', async () => {
    const city = await depot('commander', 'CK-CITY', TREE.city).expect(201);
    expect(city.body).toMatchObject({ code: 'CK-CITY', divisionCode: TREE.city, managerHolderId: null, stock: [] });
    const a = await depot('admin-a', 'CK-GC', TREE.townA, { managerHolderId: keeper }).expect(201);
    expect(a.body).toMatchObject({ divisionName: '古城街道', managerName: '仓管员' });
    const wrong = await depot('commander', 'CK-DC', TREE.townB, { managerHolderId: keeper }).expect(422);
    expect(wrong.body.details[0].field).toBe('managerHolderId');
    await depot('admin-b', 'CK-DC', TREE.townB).expect(201);
    await depot('admin-a', 'CK-X', TREE.townB).expect(403);
    await depot('commander', 'CK-GC', TREE.townA).expect(409);
  });

  it('a stock-take sets an item with its unit; the category must be one of the fixed list', async () => {
    const res = await set('commander', 'CK-CITY', { category: 'boats', item: '冲锋舟', unit: '艘', quantity: 100 }).expect(200);
    expect(res.body).toMatchObject({ category: 'boats', item: '冲锋舟', unit: '艘', quantity: 100 });
    await set('commander', 'CK-CITY', { category: 'communications', item: '卫星电话', unit: '部', quantity: 500 }).expect(200);
    await set('commander', 'CK-CITY', { category: 'communications', item: '对讲机', unit: '台', quantity: 120 }).expect(200);
    await set('admin-a', 'CK-GC', { category: 'boats', item: '冲锋舟', unit: '艘', quantity: 70 }).expect(200);
    await set('admin-a', 'CK-GC', { category: 'communications', item: '卫星电话', unit: '部', quantity: 293 }).expect(200);
    await set('admin-b', 'CK-DC', { category: 'lighting', item: '应急照明灯', unit: '盏', quantity: 21600 }).expect(200);
    const bad = await set('commander', 'CK-CITY', { category: 'weapons', item: 'x', unit: '个', quantity: -1.005 }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['category', 'quantity', 'quantity']);
    await set('admin-a', 'CK-DC', { category: 'boats', item: '冲锋舟', unit: '艘', quantity: 1 }).expect(403);
  });

  it('issues stock atomically and refuses to go below zero: 409 STOCK_WOULD_GO_NEGATIVE says what is available', async () => {
    const issued = await adjust('admin-a', 'CK-GC', { category: 'boats', item: '冲锋舟', delta: -8, reason: '调拨东湖村' }).expect(200);
    expect(issued.body.quantity).toBe(62);
    const res = await adjust('admin-a', 'CK-GC', { category: 'boats', item: '冲锋舟', delta: -63, reason: '调拨' }).expect(409);
    expect(res.body).toMatchObject({ code: 'STOCK_WOULD_GO_NEGATIVE', details: [{ field: 'delta', problem: '62 艘 available' }] });
    const missing = await adjust('admin-a', 'CK-GC', { category: 'pumps', item: '排涝泵', delta: 5, reason: '入库' }).expect(404);
    expect(missing.body).toMatchObject({ code: 'STOCK_ITEM_NOT_FOUND', details: [{ field: 'item' }] });
    await adjust('admin-a', 'CK-GC', { category: 'boats', item: '冲锋舟', delta: 0, reason: 'x' }).expect(400);
    await adjust('admin-a', 'CK-GC', { category: 'boats', item: '冲锋舟', delta: 8 }).expect(400);
    await adjust('admin-a', 'CK-GC', { category: 'boats', item: '冲锋舟', delta: 8, reason: '归还' }).expect(200);
  });

  it('20 concurrent issues of 1 against 12 in stock: 12 go out, 8 are refused, the count ends at zero and every movement is kept', async () => {
    await set('admin-a', 'CK-GC', { category: 'rescue_gear', item: '救生衣', unit: '件', quantity: 12, reason: '汛前盘点' }).expect(200);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => adjust('admin-a', 'CK-GC', { category: 'rescue_gear', item: '救生衣', delta: -1, reason: '发放' })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(12);
    expect(responses.filter((r) => r.status === 409 && r.body.code === 'STOCK_WOULD_GO_NEGATIVE')).toHaveLength(8);
    const [row] = await t.ds.query(`select quantity::float8 as q from supply_stock where item = '救生衣'`);
    expect(row.q).toBe(0);
    const moves = await t.ds.query(
      `select delta::float8 as delta, quantity_after::float8 as after, reason, actor from supply_stock_movements where item = '救生衣' order by id`,
    );
    expect(moves[0]).toEqual({ delta: 12, after: 12, reason: '汛前盘点', actor: 'admin-a' });
    expect(moves.slice(1).map((m: { after: number }) => m.after)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('the column’s own check refuses a negative quantity written past the service', async () => {
    await expect(t.ds.query(`update supply_stock set quantity = quantity - 1 where item = '救生衣'`)).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '23514', constraint: 'supply_stock_quantity_check' }),
    });
  });

  it('sums stock by category and item across the depots of an area: 170 boats, 793 satellite phones', async () => {
    const all = await request(t.http).get(api('/supply-stock/summary')).set(as('duty')).expect(200);
    expect(all.body.divisionCode).toBe(TREE.city);
    expect(all.body.depots).toBe(3);
    const cat = (body: { categories: Array<{ category: string }> }, c: string) => body.categories.find((x) => x.category === c);
    expect(cat(all.body, 'boats')).toEqual({
      category: 'boats',
      total: 170,
      unit: '艘',
      items: [{ item: '冲锋舟', unit: '艘', quantity: 170, depots: 2 }],
    });
    expect(cat(all.body, 'communications')).toMatchObject({
      total: null,
      unit: null,
      items: expect.arrayContaining([{ item: '卫星电话', unit: '部', quantity: 793, depots: 2 }]),
    });
    expect(cat(all.body, 'lighting')).toMatchObject({ total: 21600 });
    expect(cat(all.body, 'rescue_gear')).toBeUndefined();

    const townA = await request(t.http).get(api('/supply-stock/summary')).set(as('admin-a')).expect(200);
    expect(townA.body).toMatchObject({ divisionCode: TREE.townA, depots: 1 });
    expect(cat(townA.body, 'boats')).toMatchObject({ total: 70 });
    await request(t.http)
      .get(api(`/supply-stock/summary?divisionCode=${TREE.townB}`))
      .set(as('admin-a'))
      .expect(403);
  });

  it('exports depots with their stock; importing the export changes nothing and never touches stock', async () => {
    const out = await request(t.http).get(api('/supply-depots/export')).set(as('commander')).expect(200);
    expect(out.headers['content-type']).toMatch(/^application\/geo\+json/);
    const gc = out.body.features.find((f: { id: string }) => f.id === 'CK-GC');
    expect(gc.properties).toMatchObject({ code: 'CK-GC', managerHolderId: keeper, managerName: '仓管员' });
    expect(gc.properties.stock).toEqual(expect.arrayContaining([{ category: 'boats', item: '冲锋舟', unit: '艘', quantity: 70 }]));
    gc.properties.stock = [{ category: 'boats', item: '冲锋舟', unit: '艘', quantity: 9999 }];
    const back = await request(t.http).post(api('/supply-depots/import')).set(as('commander')).send(out.body).expect(200);
    expect(back.body).toMatchObject({ total: 3, unchanged: 3, rejected: 0 });
    const stored = await request(t.http).get(api('/supply-depots/CK-GC')).set(as('admin-a')).expect(200);
    expect(stored.body.stock).toEqual(expect.arrayContaining([expect.objectContaining({ item: '冲锋舟', quantity: 70 })]));
  });

  it('a depot that still holds stock is not deleted; once emptied it is', async () => {
    const held = await request(t.http).delete(api('/supply-depots/CK-DC')).set(as('admin-b')).expect(409);
    expect(held.body.code).toBe('DEPOT_HAS_STOCK');
    await adjust('admin-b', 'CK-DC', { category: 'lighting', item: '应急照明灯', delta: -21600, reason: '移交市仓库' }).expect(200);
    await request(t.http).delete(api('/supply-depots/CK-DC')).set(as('admin-b')).expect(204);
    await request(t.http).get(api('/supply-depots/CK-DC')).set(as('commander')).expect(404);
  });
});
