import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '@fangxun/common';
import type { DivisionLevel } from '@fangxun/registry';

/** A user with the division it is attached to; what the service, mapper and guard work with. */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  holderId: string | null;
  divisionId: string;
  divisionCode: string;
  divisionName: string;
  divisionLevel: DivisionLevel;
  divisionPath: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What an open session (a socket) was authorised from; when one of these changes, it must reconnect. */
export interface UserSessionFacts {
  role: string;
  divisionId: string;
  holderId: string | null;
}

export interface UserListFilter {
  /** Only users attached at or below this division path (ltree). */
  withinPath?: string;
  role?: Role;
  active?: boolean;
  q?: string;
  desc: boolean;
  after?: [string, string];
  limit: number;
}

/** A new user; `passwordHash` is a scrypt PHC-style string (algorithm, parameters and salt included). */
export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  divisionId: string;
}
export type UserPatch = Partial<Pick<NewUser, 'displayName' | 'passwordHash' | 'role' | 'divisionId'> & { active: boolean }>;

/** The column each patchable field is stored in. */
const PATCH_COLUMNS: Record<keyof UserPatch, string> = {
  displayName: 'display_name',
  passwordHash: 'password_hash',
  role: 'role',
  divisionId: 'division_id',
  active: 'active',
};

// The division columns are read through a join on the registry's table: the user row holds a
// foreign key to it anyway, and one query per authenticated request beats two.
const COLUMNS = `u.id, u.username, u.display_name as "displayName", u.role, u.active, u.holder_id as "holderId",
  u.division_id as "divisionId", d.code as "divisionCode", d.name as "divisionName", d.level as "divisionLevel",
  d.path::text as "divisionPath", u.created_at as "createdAt", u.updated_at as "updatedAt"`;
const FROM = 'from users u join registry_divisions d on d.id = u.division_id';

/** Named queries over the users table. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async findById(id: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(`select ${COLUMNS} ${FROM} where u.id = $1`, [id]);
    return rows[0];
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(`select ${COLUMNS} ${FROM} where u.username = $1`, [username]);
    return rows[0];
  }

  /** The only query that reads the password hash. */
  async findForLogin(username: string): Promise<(UserRow & { passwordHash: string }) | undefined> {
    const rows: Array<UserRow & { passwordHash: string }> = await this.ds.query(
      `select ${COLUMNS}, u.password_hash as "passwordHash" ${FROM} where u.username = $1`,
      [username],
    );
    return rows[0];
  }

  async list(f: UserListFilter): Promise<UserRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (f.withinPath) where.push(`d.path <@ $${params.push(f.withinPath)}::ltree`);
    if (f.role) where.push(`u.role = $${params.push(f.role)}`);
    if (f.active !== undefined) where.push(`u.active = $${params.push(f.active)}`);
    if (f.q) {
      const p = params.push(escapeLike(f.q));
      where.push(`(u.username like '%' || $${p} || '%' or u.display_name like '%' || $${p} || '%')`);
    }
    if (f.after) {
      where.push(`(u.username, u.id) ${f.desc ? '<' : '>'} ($${params.push(f.after[0])}, $${params.push(f.after[1])}::uuid)`);
    }
    const dir = f.desc ? 'desc' : 'asc';
    return this.ds.query(
      `select ${COLUMNS} ${FROM} ${where.length ? `where ${where.join(' and ')}` : ''}
       order by u.username ${dir}, u.id ${dir} limit $${params.push(f.limit)}`,
      params,
    );
  }

  /** Active users among these, with what a session's rooms are derived from (role, division, holder). */
  async activeSessions(ids: string[]): Promise<Array<{ id: string } & UserSessionFacts>> {
    return this.ds.query(
      `select id, role::text as role, division_id as "divisionId", holder_id as "holderId"
       from users where id = any($1::uuid[]) and active`,
      [ids],
    );
  }

  async insert(user: NewUser, m?: EntityManager): Promise<string> {
    const [row]: Array<{ id: string }> = await (m ?? this.ds).query(
      `insert into users (username, display_name, password_hash, role, division_id) values ($1, $2, $3, $4, $5) returning id`,
      [user.username, user.displayName, user.passwordHash, user.role, user.divisionId],
    );
    return row.id;
  }

  /** Sets the fields given (undefined ones are left alone) and updated_at; nothing for `{}`. */
  async update(id: string, patch: UserPatch, m?: EntityManager): Promise<void> {
    if (!Object.keys(patch).length) return;
    const params: unknown[] = [id];
    const sets = (Object.keys(patch) as Array<keyof UserPatch>)
      .filter((k) => patch[k] !== undefined)
      .map((k) => `${PATCH_COLUMNS[k]} = $${params.push(patch[k])}`);
    await (m ?? this.ds).query(`update users set ${[...sets, 'updated_at = now()'].join(', ')} where id = $1`, params);
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
