import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

describe('divisions: the city → town → village → grid tree', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });
  afterAll(() => t.close());

  it('lists the whole tree for the commander, paged by cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.http)
        .get('/api/v1/divisions')
        .query(cursor ? { limit: 3, cursor } : { limit: 3 })
        .set(as('commander'))
        .expect(200);
      seen.push(...res.body.items.map((d: { code: string }) => d.code));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Object.values(TREE).sort());
  });

  it('gives a town admin its own town by default and refuses another town with 403', async () => {
    const mine = await request(t.http).get('/api/v1/divisions').set(as('admin-a')).expect(200);
    expect(mine.body.items.map((d: { code: string }) => d.code).sort()).toEqual([TREE.townA, TREE.villageA, TREE.gridA].sort());
    const other = await request(t.http).get(`/api/v1/divisions/${TREE.townB}`).set(as('admin-a')).expect(403);
    expect(other.body).toMatchObject({ statusCode: 403, code: 'OUT_OF_SCOPE', details: [{ field: 'code' }] });
    await request(t.http).get('/api/v1/divisions').query({ withinCode: TREE.townB }).set(as('admin-a')).expect(403);
  });

  it('filters by level and parent, sorts by name descending', async () => {
    const names = async (order: string) =>
      (
        await request(t.http).get('/api/v1/divisions').query({ level: 'town', sort: 'name', order }).set(as('duty')).expect(200)
      ).body.items.map((d: { name: string }) => d.name);
    const asc = await names('asc');
    expect(asc.sort()).toEqual(['东塍镇', '古城街道'].sort());
    expect(await names('desc')).toEqual((await names('asc')).reverse());
    const kids = await request(t.http).get('/api/v1/divisions').query({ parentCode: TREE.townA }).set(as('duty')).expect(200);
    expect(kids.body.items.map((d: { code: string }) => d.code)).toEqual([TREE.villageA]);
  });

  it('creates a village with a boundary, reads it back as GeoJSON, renames it and deletes it', async () => {
    const boundary = {
      type: 'Polygon',
      coordinates: [
        [
          [121.1, 28.8],
          [121.12, 28.8],
          [121.12, 28.82],
          [121.1, 28.82],
          [121.1, 28.8],
        ],
      ],
    };
    const created = await request(t.http)
      .post('/api/v1/divisions')
      .set(as('admin-a'))
      .send({ code: '331082001002', name: '西湖村', level: 'village', parentCode: TREE.townA, boundary })
      .expect(201);
    expect(created.body).toMatchObject({
      code: '331082001002',
      level: 'village',
      parentCode: TREE.townA,
      path: `${TREE.city}.${TREE.townA}.331082001002`,
    });
    expect(created.body.boundary.type).toBe('MultiPolygon');
    expect(created.body.boundary.coordinates[0][0]).toHaveLength(5);
    const renamed = await request(t.http).patch('/api/v1/divisions/331082001002').set(as('admin-a')).send({ name: '西湖新村' }).expect(200);
    expect(renamed.body.name).toBe('西湖新村');
    // PATCH goes through the import checker's core: a clockwise ring with altitudes is stored
    // counter-clockwise (RFC 7946) and 2-D; a self-intersecting one is refused naming the field.
    const clockwise = [...boundary.coordinates[0]].reverse().map(([lon, lat]) => [lon, lat, 12]);
    const rewound = await request(t.http)
      .patch('/api/v1/divisions/331082001002')
      .set(as('admin-a'))
      .send({ boundary: { type: 'Polygon', coordinates: [clockwise] } })
      .expect(200);
    expect(rewound.body.boundary.coordinates[0][0]).toEqual(boundary.coordinates[0]);
    const bowTie = [
      [121.1, 28.8],
      [121.12, 28.82],
      [121.12, 28.8],
      [121.1, 28.82],
      [121.1, 28.8],
    ];
    const bad = await request(t.http)
      .patch('/api/v1/divisions/331082001002')
      .set(as('admin-a'))
      .send({ boundary: { type: 'Polygon', coordinates: [bowTie] } })
      .expect(400);
    expect(bad.body).toMatchObject({
      code: 'INVALID_GEOMETRY',
      details: [{ field: 'boundary', problem: expect.stringMatching(/^invalid geometry: Self-intersection/) }],
    });
    await request(t.http).delete('/api/v1/divisions/331082001002').set(as('admin-a')).expect(204);
    await request(t.http).get('/api/v1/divisions/331082001002').set(as('admin-a')).expect(404);
  });

  it('refuses bad divisions with the field named and stores nothing', async () => {
    const cases: Array<[object, number, string, string]> = [
      [{ code: 'x', name: 'a', level: 'village', parentCode: TREE.townA }, 400, 'VALIDATION_FAILED', 'code'],
      [{ code: '331082001009', name: 'a', level: 'grid', parentCode: TREE.townA }, 422, 'BAD_PARENT', 'parentCode'],
      [{ code: '331082001009', name: 'a', level: 'village', parentCode: '999999' }, 404, 'DIVISION_NOT_FOUND', 'parentCode'],
      [{ code: TREE.villageA, name: 'a', level: 'village', parentCode: TREE.townA }, 409, 'DIVISION_CODE_TAKEN', 'code'],
      [{ code: '331082001009', name: 'a', level: 'village', parentCode: TREE.townA, extra: 1 }, 400, 'VALIDATION_FAILED', 'extra'],
      [
        {
          code: '331082001009',
          name: 'bow-tie',
          level: 'village',
          parentCode: TREE.townA,
          boundary: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 1],
                [1, 0],
                [0, 1],
                [0, 0],
              ],
            ],
          },
        },
        400,
        'INVALID_GEOMETRY',
        'boundary',
      ],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await request(t.http).post('/api/v1/divisions').set(as('commander')).send(body);
      expect({ status: res.status, code: res.body.code, fields: res.body.details.map((d: { field: string }) => d.field) }).toEqual({
        status,
        code,
        fields: expect.arrayContaining([field]),
      });
    }
    const [{ n }] = await t.ds.query(`select count(*)::int as n from divisions where code = '331082001009'`);
    expect(n).toBe(0);
  });

  it('lets a town admin create only inside its town, and never lets auditors or wardens write', async () => {
    await request(t.http)
      .post('/api/v1/divisions')
      .set(as('admin-a'))
      .send({ code: '331082100009', name: '外村', level: 'village', parentCode: TREE.townB })
      .expect(403);
    for (const user of ['auditor', 'warden-a']) {
      const res = await request(t.http)
        .post('/api/v1/divisions')
        .set(as(user))
        .send({ code: '331082001008', name: '某村', level: 'village', parentCode: TREE.townA })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('refuses to delete a division that still has villages under it', async () => {
    const res = await request(t.http).delete(`/api/v1/divisions/${TREE.townB}`).set(as('commander')).expect(409);
    expect(res.body.code).toBe('DIVISION_IN_USE');
  });
});
