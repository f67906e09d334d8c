import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

describe('users: who may create and change logins, and where', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const create = (actor: string, body: Record<string, unknown>) => request(t.http).post('/api/v1/users').set(as(actor)).send(body);
  const spec = (over: Record<string, unknown> = {}) => ({
    username: 'li.si',
    displayName: '李四',
    role: 'warden',
    divisionCode: TREE.gridA,
    password: 'long-enough-password',
    ...over,
  });
  const idOf = async (username: string): Promise<string> =>
    (await t.ds.query('select id from users where username = $1', [username]))[0].id;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
  });
  afterAll(() => t.close());

  it('lets the commander create any role at the right level; the new user can log in; no hash is ever returned', async () => {
    const res = await create(
      'commander',
      spec({ username: 'Zhang.San', role: 'town_admin', divisionCode: TREE.townB, displayName: ' 张三 ' }),
    ).expect(201);
    expect(res.body).toMatchObject({
      username: 'zhang.san',
      displayName: '张三',
      role: 'town_admin',
      divisionCode: TREE.townB,
      divisionLevel: 'town',
      active: true,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password/i);
    const login = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'zhang.san', password: 'long-enough-password' })
      .expect(200);
    expect(login.body.user.divisionCode).toBe(TREE.townB);
  });

  it('refuses a taken username with 409 and a role at the wrong level with 422 naming divisionCode', async () => {
    const dup = await create('commander', spec({ username: 'commander', role: 'commander', divisionCode: TREE.city })).expect(409);
    expect(dup.body).toMatchObject({ code: 'USERNAME_TAKEN', details: [{ field: 'username', problem: 'already taken' }] });
    for (const [role, divisionCode] of [
      ['duty_officer', TREE.townA],
      ['town_admin', TREE.villageA],
      ['village_admin', TREE.gridA],
      ['warden', TREE.townA],
    ]) {
      const res = await create('commander', spec({ username: `bad-${role}`, role, divisionCode })).expect(422);
      expect(res.body).toMatchObject({ code: 'ROLE_DIVISION_MISMATCH', details: [{ field: 'divisionCode' }] });
    }
    const unknown = await create('commander', spec({ username: 'nowhere', divisionCode: '999999' })).expect(422);
    expect(unknown.body.details).toEqual([{ field: 'divisionCode', problem: 'no such division' }]);
  });

  it('names every bad field: short password, bad username, unknown role, extra field', async () => {
    const res = await create('commander', {
      username: 'x',
      displayName: '',
      role: 'king',
      divisionCode: TREE.city,
      password: 'short',
      admin: true,
    }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = new Set(res.body.details.map((d: { field: string }) => d.field));
    expect([...fields].sort()).toEqual(['admin', 'displayName', 'password', 'role', 'username']);
  });

  it('lets a town admin create village admins and wardens in its own town only', async () => {
    await create('admin-a', spec({ username: 'warden-a2' })).expect(201);
    await create('admin-a', spec({ username: 'village-a2', role: 'village_admin', divisionCode: TREE.villageA })).expect(201);

    const elsewhere = await create('admin-a', spec({ username: 'warden-b2', divisionCode: TREE.gridB })).expect(403);
    expect(elsewhere.body).toMatchObject({ code: 'OUT_OF_SCOPE', details: [{ field: 'divisionCode' }] });
    const promote = await create('admin-a', spec({ username: 'boss', role: 'commander', divisionCode: TREE.townA })).expect(403);
    expect(promote.body).toMatchObject({ code: 'FORBIDDEN', details: [{ field: 'role' }] });
    await create('auditor', spec({ username: 'by-auditor' })).expect(403);
    await create('village-a', spec({ username: 'by-village' })).expect(403);
  });

  it('lists users by username with cursors; a town admin sees only its town, an auditor everyone', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.http)
        .get('/api/v1/users')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(as('auditor'))
        .expect(200);
      seen.push(...res.body.items.map((u: { username: string }) => u.username));
      cursor = res.body.nextCursor;
    } while (cursor);
    const all: Array<{ username: string }> = await t.ds.query('select username from users order by username');
    expect(seen).toEqual(all.map((u) => u.username));

    const town = await request(t.http).get('/api/v1/users').set(as('admin-a')).expect(200);
    expect(town.body.items.map((u: { username: string }) => u.username).sort()).toEqual([
      'admin-a',
      'village-a',
      'village-a2',
      'warden-a',
      'warden-a2',
    ]);
    const wardens = await request(t.http)
      .get('/api/v1/users')
      .query({ role: 'warden', withinCode: TREE.villageA })
      .set(as('commander'))
      .expect(200);
    expect(wardens.body.items.map((u: { username: string }) => u.username)).toEqual(['warden-a', 'warden-a2']);
    const other = await request(t.http).get('/api/v1/users').query({ withinCode: TREE.townB }).set(as('admin-a')).expect(403);
    expect(other.body.code).toBe('OUT_OF_SCOPE');
  });

  it('reads one user in scope, refuses another town (403) and names a malformed id (400)', async () => {
    const mine = await request(t.http)
      .get(`/api/v1/users/${await idOf('warden-a')}`)
      .set(as('admin-a'))
      .expect(200);
    expect(mine.body).toMatchObject({ username: 'warden-a', divisionCode: TREE.gridA });
    const theirs = await request(t.http)
      .get(`/api/v1/users/${await idOf('admin-b')}`)
      .set(as('admin-a'))
      .expect(403);
    expect(theirs.body.code).toBe('OUT_OF_SCOPE');
    const bad = await request(t.http).get('/api/v1/users/not-a-uuid').set(as('commander')).expect(400);
    expect(bad.body.details[0].field).toBe('id');
    await request(t.http).get('/api/v1/users/00000000-0000-4000-8000-000000000000').set(as('commander')).expect(404);
  });

  it('changes password, name and active flag; deactivation ends the user’s session at once', async () => {
    const id = await idOf('warden-a2');
    const token = (
      await request(t.http).post('/api/v1/auth/login').send({ username: 'warden-a2', password: 'long-enough-password' }).expect(200)
    ).body.accessToken;
    const patched = await request(t.http)
      .patch(`/api/v1/users/${id}`)
      .set(as('admin-a'))
      .send({ displayName: '王五', password: 'another-long-password' })
      .expect(200);
    expect(patched.body.displayName).toBe('王五');
    await request(t.http).post('/api/v1/auth/login').send({ username: 'warden-a2', password: 'another-long-password' }).expect(200);
    await request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    await request(t.http).patch(`/api/v1/users/${id}`).set(as('admin-a')).send({ active: false }).expect(200);
    await request(t.http).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('applies the creation rules to role changes and refuses self-lockout', async () => {
    const id = await idOf('village-a2');
    const upgrade = await request(t.http)
      .patch(`/api/v1/users/${id}`)
      .set(as('admin-a'))
      .send({ role: 'town_admin', divisionCode: TREE.townA })
      .expect(403);
    expect(upgrade.body.details).toEqual([{ field: 'role', problem: 'not a role a town_admin may assign' }]);
    const wrongLevel = await request(t.http).patch(`/api/v1/users/${id}`).set(as('commander')).send({ role: 'town_admin' }).expect(422);
    expect(wrongLevel.body.code).toBe('ROLE_DIVISION_MISMATCH');
    const moved = await request(t.http)
      .patch(`/api/v1/users/${id}`)
      .set(as('commander'))
      .send({ role: 'town_admin', divisionCode: TREE.townA })
      .expect(200);
    expect(moved.body).toMatchObject({ role: 'town_admin', divisionCode: TREE.townA });
    await request(t.http)
      .patch(`/api/v1/users/${await idOf('admin-b')}`)
      .set(as('admin-a'))
      .send({ displayName: 'x' })
      .expect(403);
    const self = await request(t.http)
      .patch(`/api/v1/users/${await idOf('commander')}`)
      .set(as('commander'))
      .send({ active: false })
      .expect(422);
    expect(self.body).toMatchObject({ code: 'SELF_LOCKOUT', details: [{ field: 'active' }] });
    const short = await request(t.http).patch(`/api/v1/users/${id}`).set(as('commander')).send({ password: 'short' }).expect(400);
    expect(short.body.details[0].field).toBe('password');
  });
});
