import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

describe('rescue teams: register, readiness and GeoJSON', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const api = (path: string) => `/api/v1${path}`;
  const create = (user: string, body: object) => request(t.http).post(api('/rescue-teams')).set(as(user)).send(body);
  const team = (code: string, extra: object = {}) => ({
    code,
    name: `${code} 救援队`,
    level: 'town',
    divisionCode: TREE.townA,
    members: 72,
    specialities: ['water_rescue', 'general'],
    base: { type: 'Point', coordinates: [121.1234567890123, 28.8456] },
    contactName: '李队长',
    contactPhone: '139 1234 5678',
    ...extra,
  });

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });
  afterAll(() => t.close());

  it('registers a city team at the city and a town team at its town; phones become E.164', async () => {
    const city = await create(
      'commander',
      team('JY-CITY-01', {
        level: 'city',
        divisionCode: TREE.city,
        members: 24,
        contactPhone: '0576-85123456',
        specialities: ['drone', 'medical'],
      }),
    ).expect(201);
    expect(city.body).toMatchObject({
      level: 'city',
      divisionCode: TREE.city,
      contactPhone: '+8657685123456',
      status: 'standby',
      specialities: ['medical', 'drone'],
    });
    const town = await create('admin-a', team('JY-GC-01')).expect(201);
    expect(town.body).toMatchObject({ level: 'town', divisionName: '古城街道', contactPhone: '+8613912345678', members: 72 });
    expect(town.body.base).toEqual({ type: 'Point', coordinates: [121.1234567890123, 28.8456] });
    await create('admin-b', team('JY-DC-01', { divisionCode: TREE.townB, specialities: ['mountain_rescue'] })).expect(201);
  });

  it('the level must match the division: a city team not in a town, a town team not in a village', async () => {
    const res = await create('commander', team('JY-BAD-1', { level: 'city' })).expect(422);
    expect(res.body).toMatchObject({
      code: 'GEO_RULE_VIOLATED',
      details: [{ field: 'level', problem: 'a city team is filed at the city division, not at a town' }],
    });
    await create('commander', team('JY-BAD-2', { divisionCode: TREE.villageA })).expect(422);
  });

  it('refuses unknown specialities, bad phones and empty teams, naming each field', async () => {
    const res = await create(
      'commander',
      team('JY-BAD-3', { specialities: ['water_rescue', 'diving'], contactPhone: '12345', members: 0 }),
    ).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['contactPhone', 'members', 'specialities']);
    await create('commander', team('JY-GC-01')).expect(409);
    await create('admin-a', team('JY-BAD-4', { divisionCode: TREE.townB })).expect(403);
  });

  it('changes status through POST …/status, and lists by status, speciality and area', async () => {
    const res = await request(t.http)
      .post(api('/rescue-teams/JY-GC-01/status'))
      .set(as('admin-a'))
      .send({ status: 'deployed' })
      .expect(200);
    expect(res.body.status).toBe('deployed');
    await request(t.http).post(api('/rescue-teams/JY-GC-01/status')).set(as('admin-a')).send({ status: 'asleep' }).expect(400);
    await request(t.http).post(api('/rescue-teams/JY-DC-01/status')).set(as('admin-a')).send({ status: 'resting' }).expect(403);
    const codes = async (user: string, q: string) =>
      (
        await request(t.http)
          .get(api(`/rescue-teams?${q}`))
          .set(as(user))
          .expect(200)
      ).body.items.map((x: { code: string }) => x.code);
    expect(await codes('commander', '')).toEqual(['JY-CITY-01', 'JY-DC-01', 'JY-GC-01']);
    expect(await codes('commander', 'status=deployed')).toEqual(['JY-GC-01']);
    expect(await codes('commander', 'speciality=water_rescue')).toEqual(['JY-GC-01']);
    expect(await codes('commander', 'level=city')).toEqual(['JY-CITY-01']);
    expect(await codes('admin-a', '')).toEqual(['JY-GC-01']);
    expect(await codes('commander', `divisionCode=${TREE.townB}`)).toEqual(['JY-DC-01']);
    const page = await request(t.http).get(api('/rescue-teams?limit=2')).set(as('commander')).expect(200);
    const rest = await request(t.http)
      .get(api(`/rescue-teams?limit=2&cursor=${page.body.nextCursor}`))
      .set(as('commander'))
      .expect(200);
    expect(rest.body).toEqual({ items: [expect.objectContaining({ code: 'JY-GC-01' })], nextCursor: null });
  });

  it('a patch changes what it names and keeps the rest', async () => {
    const res = await request(t.http)
      .patch(api('/rescue-teams/JY-GC-01'))
      .set(as('admin-a'))
      .send({ members: 80, contactPhone: '+86 139-0000-0009' })
      .expect(200);
    expect(res.body).toMatchObject({
      members: 80,
      contactPhone: '+8613900000009',
      status: 'deployed',
      specialities: ['water_rescue', 'general'],
    });
    await request(t.http).patch(api('/rescue-teams/JY-GC-01')).set(as('admin-a')).send({ code: 'JY-OTHER' }).expect(400);
  });

  it('exports a FeatureCollection that imports back unchanged; an import never resets a deployed team’s status', async () => {
    const out = await request(t.http).get(api('/rescue-teams/export')).set(as('commander')).expect(200);
    expect(out.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(out.body.features).toHaveLength(3);
    const gc = out.body.features.find((f: { id: string }) => f.id === 'JY-GC-01');
    expect(gc.geometry).toEqual({ type: 'Point', coordinates: [121.1234567890123, 28.8456] });
    expect(gc.properties).toMatchObject({ level: 'town', members: 80, status: 'deployed', contactPhone: '+8613900000009' });

    const back = await request(t.http).post(api('/rescue-teams/import')).set(as('commander')).send(out.body).expect(200);
    expect(back.body).toMatchObject({ total: 3, unchanged: 3, inserted: 0, updated: 0, rejected: 0 });

    gc.properties.members = 90;
    gc.properties.status = 'standby';
    const newTeam = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [121.2, 28.9] },
      properties: {
        code: 'JY-DC-02',
        name: '东塍镇抢险队',
        level: 'town',
        divisionCode: TREE.townB,
        members: 30,
        specialities: ['engineering'],
        contactName: '王',
        contactPhone: '13900000010',
      },
    };
    const badTeam = { ...newTeam, properties: { ...newTeam.properties, code: 'JY-DC-03', specialities: ['diving'], contactPhone: 'none' } };
    const res = await request(t.http)
      .post(api('/rescue-teams/import'))
      .set(as('commander'))
      .send({ type: 'FeatureCollection', features: [gc, newTeam, badTeam] })
      .expect(200);
    expect(res.body).toMatchObject({ inserted: 1, updated: 1, rejected: 1 });
    expect(res.body.changes[0]).toMatchObject({ code: 'JY-GC-01', action: 'update', fields: ['members'] });
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'features[2].properties.contactPhone',
      'features[2].properties.specialities',
    ]);
    const after = await request(t.http).get(api('/rescue-teams/JY-GC-01')).set(as('commander')).expect(200);
    expect(after.body).toMatchObject({ members: 90, status: 'deployed' });
    const added = await request(t.http).get(api('/rescue-teams/JY-DC-02')).set(as('admin-b')).expect(200);
    expect(added.body).toMatchObject({ status: 'standby', contactPhone: '+8613900000010' });
  });

  it('deletes a team inside your area only', async () => {
    await request(t.http).delete(api('/rescue-teams/JY-DC-02')).set(as('admin-a')).expect(403);
    await request(t.http).delete(api('/rescue-teams/JY-DC-02')).set(as('admin-b')).expect(204);
    await request(t.http).get(api('/rescue-teams/JY-DC-02')).set(as('commander')).expect(404);
  });
});
