import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { Role } from '@fangxun/common';
import { hashPassword } from '../../libs/auth/src/login/scrypt-hash';
import { bootApi, TestApp, truncateAll } from './app';

/**
 * A small division tree known by construction:
 *   331082 临海市
 *   ├─ 331082001 古城街道 ─ 331082001001 东湖村 ─ 331082001001G01
 *   └─ 331082100 东塍镇   ─ 331082100001 岭根村 ─ 331082100001G01
 */
export const TREE = {
  city: '331082',
  townA: '331082001',
  villageA: '331082001001',
  gridA: '331082001001G01',
  townB: '331082100',
  villageB: '331082100001',
  gridB: '331082100001G01',
};

export const PASSWORD = 'correct-horse-battery';

export async function seedTree(ds: DataSource): Promise<void> {
  const rows: Array<[string, string, string, string | null]> = [
    [TREE.city, '临海市', 'city', null],
    [TREE.townA, '古城街道', 'town', TREE.city],
    [TREE.villageA, '东湖村', 'village', TREE.townA],
    [TREE.gridA, '东湖村第一网格', 'grid', TREE.villageA],
    [TREE.townB, '东塍镇', 'town', TREE.city],
    [TREE.villageB, '岭根村', 'village', TREE.townB],
    [TREE.gridB, '岭根村第一网格', 'grid', TREE.villageB],
  ];
  for (const [code, name, level, parent] of rows) {
    await ds.query(
      `insert into divisions (code, name, level, parent_id, path)
       select $1::varchar, $2, $3::division_level, p.id, coalesce(p.path || $1::varchar::text, $1::varchar::text::ltree)
       from (select 1) x left join divisions p on p.code = $4`,
      [code, name, level, parent],
    );
  }
}

/** Users of each role, scoped as their role requires, all with PASSWORD. */
export const USERS: Record<string, { role: Role; division: string }> = {
  commander: { role: 'commander', division: TREE.city },
  duty: { role: 'duty_officer', division: TREE.city },
  auditor: { role: 'auditor', division: TREE.city },
  'admin-a': { role: 'town_admin', division: TREE.townA },
  'admin-b': { role: 'town_admin', division: TREE.townB },
  'village-a': { role: 'village_admin', division: TREE.villageA },
  'warden-a': { role: 'warden', division: TREE.gridA },
};

export async function seedUsers(ds: DataSource): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD, { costLog2: 12, blockSize: 8, parallelization: 1 });
  for (const [username, u] of Object.entries(USERS)) {
    await ds.query(
      `insert into users (username, display_name, password_hash, role, division_id)
       select $1, $1, $2, $3::user_role, id from divisions where code = $4`,
      [username, passwordHash, u.role, u.division],
    );
  }
}

/** Logs each fixture user in through the real login route; returns bearer tokens by username. */
export async function loginAll(t: TestApp): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const username of Object.keys(USERS)) {
    const res = await request(t.http).post('/api/v1/auth/login').send({ username, password: PASSWORD });
    if (res.status !== 200 && res.status !== 201) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    tokens[username] = res.body.accessToken as string;
  }
  return tokens;
}

/** A booted API on an emptied database with the TREE and the USERS, logged in; `as(user)` makes auth headers. */
export async function bootWithFixtures(): Promise<{
  t: TestApp;
  tok: Record<string, string>;
  as: (user: string) => { Authorization: string };
}> {
  const t = await bootApi();
  await truncateAll(t.ds);
  await seedTree(t.ds);
  await seedUsers(t.ds);
  const tok = await loginAll(t);
  return { t, tok, as: (user) => ({ Authorization: `Bearer ${tok[user]}` }) };
}
