import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

/** State changes over HTTP leave audit rows; auditors and commanders read and verify them, others may not. */
describe('audit trail over HTTP', () => {
  let t: TestApp;
  let as: (user: string) => { Authorization: string };
  let holderId: string;
  let commanderId: string;

  const audit = (user: string, query: Record<string, string | number> = {}) =>
    request(t.http).get('/api/v1/audit').query(query).set(as(user));

  beforeAll(async () => {
    ({ t, as } = await bootWithFixtures());
    [{ id: commanderId }] = await t.ds.query(`select id from users where username = 'commander'`);
    holderId = (
      await request(t.http)
        .post('/api/v1/holders')
        .set(as('commander'))
        .send({ name: '李镇长', role: 'town_head', divisionCode: TREE.townA, mobile: '13900000002' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('a holder PATCH records actor, role, only the changed fields with phones masked, and the request id', async () => {
    await request(t.http)
      .patch(`/api/v1/holders/${holderId}`)
      .set(as('admin-a'))
      .set('X-Correlation-Id', 'audit-e2e-patch-0001')
      .send({ mobile: '13900000099', name: '李镇长', active: true })
      .expect(200);
    const res = await audit('auditor', { entity: 'holder', entityId: holderId }).expect(200);
    expect(res.body.items.map((r: { action: string }) => r.action)).toEqual(['holder.update', 'holder.create']);
    const [update, create] = res.body.items;
    expect(update).toMatchObject({
      actor: { kind: 'user', name: 'admin-a' },
      role: 'town_admin',
      entity: 'holder',
      entityId: holderId,
      before: { mobile: '+86139****0002' },
      after: { mobile: '+86139****0099' },
      correlationId: 'audit-e2e-patch-0001',
    });
    // name and active were sent unchanged: not recorded.
    expect(Object.keys(update.after)).toEqual(['mobile']);
    expect(create).toMatchObject({ actor: { kind: 'user', id: commanderId, name: 'commander' }, role: 'commander', before: null });
    expect(create.after).toMatchObject({ name: '李镇长', role: 'town_head', divisionCode: TREE.townA, mobile: '+86139****0002' });
    expect(JSON.stringify(res.body)).not.toContain('13900000099');
    expect(update.prevHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an API key created and revoked is recorded once; a second revoke records nothing', async () => {
    const key = await request(t.http)
      .post('/api/v1/api-keys')
      .set(as('duty'))
      .send({ name: 'hydrology feed', scopes: ['feeds:write'] })
      .expect(201);
    await request(t.http).delete(`/api/v1/api-keys/${key.body.id}`).set(as('commander')).expect(204);
    await request(t.http).delete(`/api/v1/api-keys/${key.body.id}`).set(as('commander')).expect(204);
    const res = await audit('commander', { entity: 'api_key', entityId: key.body.id }).expect(200);
    expect(res.body.items).toHaveLength(2);
    const [revoke, create] = res.body.items;
    expect(revoke).toMatchObject({
      action: 'api_key.revoke',
      actor: { name: 'commander' },
      role: 'commander',
      before: { revokedAt: null },
    });
    expect(revoke.after.revokedAt).toEqual(expect.any(String));
    expect(create).toMatchObject({ action: 'api_key.create', actor: { name: 'duty' }, role: 'duty_officer' });
    expect(JSON.stringify(create)).not.toMatch(/keyHash|"key"/);
    expect(revoke.correlationId).not.toBe(create.correlationId);
  });

  it('queries by actor and time, newest first, page by page with a cursor', async () => {
    for (const name of ['甲', '乙', '丙']) {
      await request(t.http).patch(`/api/v1/holders/${holderId}`).set(as('village-a')).send({ name }).expect(403); // refused: nothing recorded
      await request(t.http).patch(`/api/v1/holders/${holderId}`).set(as('duty')).send({ name }).expect(200);
    }
    const first = await audit('auditor', { actor: 'duty', entity: 'holder', limit: 2 }).expect(200);
    expect(first.body.items.map((r: { after: { name: string } }) => r.after.name)).toEqual(['丙', '乙']);
    const second = await audit('auditor', { actor: 'duty', entity: 'holder', limit: 2, cursor: first.body.nextCursor }).expect(200);
    expect(second.body.items.map((r: { after: { name: string } }) => r.after.name)).toEqual(['甲']);
    expect(second.body.nextCursor).toBeNull();
    const future = await audit('auditor', { actor: 'duty', from: '2999-01-01T00:00:00Z' }).expect(200);
    expect(future.body.items).toEqual([]);
    await audit('auditor', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }).expect(400);
    await audit('auditor', { cursor: 'not-a-cursor' }).expect(400);
  });

  it('verify: auditors and commanders walk the chain; town admins, wardens and duty officers are refused', async () => {
    const ok = await request(t.http).get('/api/v1/audit/verify').set(as('auditor')).expect(200);
    expect(ok.body).toMatchObject({ ok: true, firstBadSeq: null });
    expect(ok.body.rows).toBeGreaterThanOrEqual(6);
    await request(t.http).get('/api/v1/audit/verify').set(as('commander')).expect(200);
    for (const user of ['admin-a', 'warden-a', 'duty']) {
      await request(t.http).get('/api/v1/audit/verify').set(as(user)).expect(403);
      await audit(user).expect(403);
    }
    await request(t.http).get('/api/v1/audit').expect(401);
  });

  it('documents both routes in OpenAPI, with the filters and the common error body', async () => {
    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body;
    const find = doc.paths['/api/v1/audit'].get;
    expect(find.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['incidentId', 'actor', 'entity', 'entityId', 'from', 'to', 'limit', 'cursor']),
    );
    expect(find.responses['403'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBodyDto');
    expect(doc.components.schemas.ErrorBodyDto).toBeDefined();
    expect(doc.paths['/api/v1/audit/verify'].get.responses['200']).toBeDefined();
  });
});
