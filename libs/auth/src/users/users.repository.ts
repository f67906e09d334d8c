import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Role } from '@fangxun/common';
import type { DivisionLevel } from '@fangxun/registry';
import { UserEntity } from '../entities/user.entity';

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

export type NewUser = Pick<UserEntity, 'username' | 'displayName' | 'passwordHash' | 'role' | 'divisionId'>;
export type UserPatch = Partial<Pick<UserEntity, 'displayName' | 'passwordHash' | 'role' | 'divisionId' | 'active'>>;

// The division columns are read through a join on the registry's table: the user row holds a
// foreign key to it anyway, and one query per authenticated request beats two.
const COLUMNS = `u.id, u.username, u.display_name as "displayName", u.role, u.active, u.holder_id as "holderId",
  u.division_id as "divisionId", d.code as "divisionCode", d.name as "divisionName", d.level as "divisionLevel",
  d.path::text as "divisionPath", u.created_at as "createdAt", u.updated_at as "updatedAt"`;
const FROM = 'from users u join registry_divisions d on d.id = u.division_id';

/** Named queries over the users table. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async findById(id: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.users.query(`select ${COLUMNS} ${FROM} where u.id = $1`, [id]);
    return rows[0];
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.users.query(`select ${COLUMNS} ${FROM} where u.username = $1`, [username]);
    return rows[0];
  }

  /** The only query that reads the password hash. */
  async findForLogin(username: string): Promise<(UserRow & { passwordHash: string }) | undefined> {
    const rows: Array<UserRow & { passwordHash: string }> = await this.users.query(
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
    return this.users.query(
      `select ${COLUMNS} ${FROM} ${where.length ? `where ${where.join(' and ')}` : ''}
       order by u.username ${dir}, u.id ${dir} limit $${params.push(f.limit)}`,
      params,
    );
  }

  async insert(user: NewUser, m?: EntityManager): Promise<string> {
    const result = await this.repo(m).insert(user);
    return (result.identifiers[0] as { id: string }).id;
  }

  async update(id: string, patch: UserPatch, m?: EntityManager): Promise<void> {
    if (Object.keys(patch).length) await this.repo(m).update({ id }, patch);
  }

  private repo(m?: EntityManager): Repository<UserEntity> {
    return m ? m.getRepository(UserEntity) : this.users;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
