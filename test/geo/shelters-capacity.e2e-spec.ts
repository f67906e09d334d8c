import { Client } from 'pg';
import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

/**
 * Capacity is a hard limit under concurrency: through the API (one conditional UPDATE per
 * check-in) and in the database itself (the table's check), proven separately.
 */
describe('shelter capacity holds under concurrent check-ins', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const api = (path: string) => `/api/v1${path}`;
  const occupancyOf = async (code: string) =>
    (await t.ds.query('select occupancy, reserved, capacity from shelters where code = $1', [code]))[0] as {
      occupancy: number;
      reserved: number;
      capacity: number;
    };
  const shelter = (code: string, capacity: number) =>
    request(t.http)
      .post(api('/shelters'))
      .set(as('admin-a'))
      .send({
        code,
        name: code,
        tier: 'town',
        divisionCode: TREE.townA,
        location: { type: 'Point', coordinates: [121.14, 28.85] },
        capacity,
      })
      .expect(201);

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });
  afterAll(() => t.close());

  it('50 concurrent check-ins of 1 person against 30 free places: exactly 30 succeed, 20 get 409 SHELTER_FULL, occupancy ends at capacity', async () => {
    await shelter('BZ-RUSH', 40);
    await request(t.http).post(api('/shelters/BZ-RUSH/check-in')).set(as('admin-a')).send({ people: 10 }).expect(200);

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => request(t.http).post(api('/shelters/BZ-RUSH/check-in')).set(as('admin-a')).send({ people: 1 })),
    );

    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 409);
    expect(ok).toHaveLength(30);
    expect(refused).toHaveLength(20);
    // Each success saw its own count: the check-ins were serialised, none was lost or doubled.
    expect(ok.map((r) => r.body.occupancy as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => 11 + i));
    for (const r of refused) {
      expect(r.body).toMatchObject({
        code: 'SHELTER_FULL',
        details: [{ field: 'people', problem: '0 free places (capacity 40, 40 checked in, 0 reserved)' }],
      });
    }
    expect(await occupancyOf('BZ-RUSH')).toEqual({ occupancy: 40, reserved: 0, capacity: 40 });
  });

  it('reservations and check-ins racing each other never take more than the free places', async () => {
    await shelter('BZ-MIXED', 25);
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(t.http)
          .post(api(`/shelters/BZ-MIXED/${i % 2 ? 'reserve' : 'check-in'}`))
          .set(as('admin-a'))
          .send(i % 2 ? { places: 1 } : { people: 1 }),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(25);
    expect(responses.filter((r) => r.status === 409 && r.body.code === 'SHELTER_FULL')).toHaveLength(15);
    const after = await occupancyOf('BZ-MIXED');
    expect(after.occupancy + after.reserved).toBe(25);
  });

  it('the database itself holds the limit: 50 concurrent raw UPDATEs "occupancy = occupancy + 1" bypassing the service, 30 commit and 20 fail its check', async () => {
    await shelter('BZ-RAW', 30);
    // 50 separate connections, all connected before any update is sent, so the updates really race.
    const clients = Array.from({ length: 50 }, () => new Client({ connectionString: process.env.DATABASE_URL }));
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const results = await Promise.allSettled(
        clients.map((c) => c.query(`update shelters set occupancy = occupancy + 1 where code = 'BZ-RAW'`)),
      );
      const failures = results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => r.reason as { code: string; constraint: string });
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
      expect(failures).toHaveLength(20);
      for (const f of failures) expect(f).toMatchObject({ code: '23514', constraint: 'shelters_capacity_is_a_hard_limit' });
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    }
    expect(await occupancyOf('BZ-RAW')).toEqual({ occupancy: 30, reserved: 0, capacity: 30 });
    // And the API answers the next one with a 409, not a 500.
    const next = await request(t.http).post(api('/shelters/BZ-RAW/check-in')).set(as('admin-a')).send({ people: 1 }).expect(409);
    expect(next.body.code).toBe('SHELTER_FULL');
  });
});
