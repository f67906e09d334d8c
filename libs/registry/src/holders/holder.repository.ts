import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { escapeLike } from '../divisions/division.repository';
import type { HolderRole } from './holder-role';

/** A holder row joined with its division, superior and backup, as the API shows it. */
export interface HolderRow {
  id: string;
  name: string;
  role: HolderRole;
  divisionId: string;
  divisionCode: string;
  divisionName: string;
  divisionPath: string;
  mobile: string;
  otherPhones: string[];
  superiorId: string | null;
  superiorName: string | null;
  superiorRole: HolderRole | null;
  superiorDivisionCode: string | null;
  backupId: string | null;
  backupName: string | null;
  backupRole: HolderRole | null;
  backupDivisionCode: string | null;
  active: boolean;
  appointedYear: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A holder as a spatial question needs it: who, where, how to reach, and whom they answer to. */
export interface ChainHolderRow {
  id: string;
  name: string;
  role: HolderRole;
  divisionId: string;
  divisionCode: string;
  divisionName: string;
  divisionLevel: 'city' | 'town' | 'village' | 'grid';
  divisionPath: string;
  mobile: string;
  otherPhones: string[];
  superiorId: string | null;
  active: boolean;
}

export interface HolderWrite {
  name: string;
  role: HolderRole;
  divisionId: string;
  mobile: string;
  otherPhones: string[];
  superiorId: string | null;
  backupId: string | null;
  active: boolean;
  appointedYear: number | null;
}

export interface HolderListFilter {
  withinPath: string;
  roles?: HolderRole[];
  active?: boolean;
  q?: string;
  sort: 'name' | 'createdAt' | 'role';
  desc: boolean;
  after?: [string, string];
  limit: number;
}

const SELECT = `
  select h.id, h.name, h.role, h.division_id as "divisionId", d.code as "divisionCode", d.name as "divisionName",
         d.path::text as "divisionPath", h.mobile, h.other_phones as "otherPhones",
         h.superior_id as "superiorId", s.name as "superiorName", s.role as "superiorRole", sd.code as "superiorDivisionCode",
         h.backup_id as "backupId", b.name as "backupName", b.role as "backupRole", bd.code as "backupDivisionCode",
         h.active, h.appointed_year as "appointedYear", h.created_at as "createdAt", h.updated_at as "updatedAt"
  from responsibility_holders h
  join divisions d on d.id = h.division_id
  left join responsibility_holders s on s.id = h.superior_id
  left join divisions sd on sd.id = s.division_id
  left join responsibility_holders b on b.id = h.backup_id
  left join divisions bd on bd.id = b.division_id`;

const SORT_KEY = { name: 'h.name', createdAt: 'h.created_at', role: 'h.role::text' } as const;

/** Named queries over responsibility_holders. */
@Injectable()
export class HolderRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async findById(id: string, manager?: EntityManager): Promise<HolderRow | undefined> {
    const rows: HolderRow[] = await this.m(manager).query(`${SELECT} where h.id = $1`, [id]);
    return rows[0];
  }

  async findByIds(ids: string[], manager?: EntityManager): Promise<HolderRow[]> {
    if (!ids.length) return [];
    return this.m(manager).query(`${SELECT} where h.id = any($1::uuid[])`, [ids]);
  }

  /** Holders whose primary mobile is one of these numbers (imports name superiors by phone). */
  async findByMobiles(mobiles: string[], manager?: EntityManager): Promise<HolderRow[]> {
    if (!mobiles.length) return [];
    return this.m(manager).query(`${SELECT} where h.mobile = any($1::text[])`, [mobiles]);
  }

  async list(f: HolderListFilter): Promise<HolderRow[]> {
    const params: unknown[] = [f.withinPath];
    const where = ['d.path <@ $1::ltree'];
    if (f.roles) where.push(`h.role = any($${params.push(f.roles)}::holder_role[])`);
    if (f.active !== undefined) where.push(`h.active = $${params.push(f.active)}`);
    if (f.q) {
      const i = params.push(escapeLike(f.q));
      where.push(`(h.name like '%' || $${i} || '%' or h.mobile = $${i})`);
    }
    const key = SORT_KEY[f.sort];
    if (f.after) {
      const cast = f.sort === 'createdAt' ? '::timestamptz' : '';
      where.push(`(${key}, h.id) ${f.desc ? '<' : '>'} ($${params.push(f.after[0])}${cast}, $${params.push(f.after[1])}::uuid)`);
    }
    const dir = f.desc ? 'desc' : 'asc';
    return this.ds.query(
      `${SELECT} where ${where.join(' and ')} order by ${key} ${dir}, h.id ${dir} limit $${params.push(f.limit)}`,
      params,
    );
  }

  async insert(w: HolderWrite, manager?: EntityManager): Promise<string> {
    const [row]: Array<{ id: string }> = await this.m(manager).query(
      `insert into responsibility_holders (name, role, division_id, mobile, other_phones, superior_id, backup_id, active, appointed_year)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [w.name, w.role, w.divisionId, w.mobile, w.otherPhones, w.superiorId, w.backupId, w.active, w.appointedYear],
    );
    return row.id;
  }

  async update(id: string, w: HolderWrite, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(
      `update responsibility_holders set name = $2, role = $3, division_id = $4, mobile = $5, other_phones = $6,
         superior_id = $7, backup_id = $8, active = $9, appointed_year = $10, updated_at = now() where id = $1`,
      [id, w.name, w.role, w.divisionId, w.mobile, w.otherPhones, w.superiorId, w.backupId, w.active, w.appointedYear],
    );
  }

  /**
   * Inserts or updates by the appointment key (division, role, mobile) and says which it did.
   * `xmax = 0` is PostgreSQL's tell for a freshly inserted row.
   */
  async upsert(w: HolderWrite, manager: EntityManager): Promise<{ id: string; inserted: boolean }> {
    const [row]: Array<{ id: string; inserted: boolean }> = await manager.query(
      `insert into responsibility_holders (name, role, division_id, mobile, other_phones, superior_id, backup_id, active, appointed_year)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict on constraint holders_appointment_key do update set
         name = excluded.name, other_phones = excluded.other_phones, superior_id = excluded.superior_id,
         backup_id = excluded.backup_id, active = excluded.active, appointed_year = excluded.appointed_year, updated_at = now()
       returning id, (xmax = 0) as inserted`,
      [w.name, w.role, w.divisionId, w.mobile, w.otherPhones, w.superiorId, w.backupId, w.active, w.appointedYear],
    );
    return row;
  }

  /** True if making `superiorId` the superior of `holderId` would close a loop in the chain. */
  async wouldLoop(holderId: string, superiorId: string, manager?: EntityManager): Promise<boolean> {
    const [row]: Array<{ loop: boolean }> = await this.m(manager).query(
      `with recursive chain(id, depth) as (
         select $2::uuid, 1
         union all
         select h.superior_id, c.depth + 1 from responsibility_holders h join chain c on h.id = c.id
         where h.superior_id is not null and c.depth < 64)
       select exists (select 1 from chain where id = $1::uuid) as loop`,
      [holderId, superiorId],
    );
    return row.loop;
  }

  /**
   * The stored superior of these holders and of everyone above them, as (id, superiorId)
   * pairs: imports check a whole file's new chain for loops against it in one query.
   */
  async superiorEdgesAbove(ids: string[], manager?: EntityManager): Promise<Array<{ id: string; superiorId: string | null }>> {
    if (!ids.length) return [];
    return this.m(manager).query(
      `with recursive chain(id, superior_id, depth) as (
         select id, superior_id, 1 from responsibility_holders where id = any($1::uuid[])
         union
         select h.id, h.superior_id, c.depth + 1 from responsibility_holders h join chain c on h.id = c.superior_id
         where c.depth < 64)
       select distinct id, superior_id as "superiorId" from chain`,
      [ids],
    );
  }

  /** Sets only the backup (imports set it after every row of the file has an id). */
  async setBackup(id: string, backupId: string | null, manager: EntityManager): Promise<void> {
    await manager.query('update responsibility_holders set backup_id = $2, updated_at = now() where id = $1', [id, backupId]);
  }

  /** The 包保 chain above a holder, nearest first (escalation climbs it). */
  async chainAbove(id: string): Promise<HolderRow[]> {
    const ids: Array<{ id: string; depth: number }> = await this.ds.query(
      `with recursive chain(id, depth) as (
         select superior_id, 1 from responsibility_holders where id = $1 and superior_id is not null
         union all
         select h.superior_id, c.depth + 1 from responsibility_holders h join chain c on h.id = c.id
         where h.superior_id is not null and c.depth < 64)
       select id, depth from chain order by depth`,
      [id],
    );
    const rows = await this.findByIds(ids.map((r) => r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((r) => byId.get(r.id)).filter((r): r is HolderRow => !!r);
  }

  async subordinateCount(id: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.ds.query(
      'select count(*)::int as n from responsibility_holders where superior_id = $1 or backup_id = $1',
      [id],
    );
    return row.n;
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.m(manager).query('delete from responsibility_holders where id = $1', [id]);
  }

  /**
   * These holders, every holder filed at these divisions, and the whole 包保 chain above all of
   * them, each once: one recursive statement (UNION keeps each id once, so it also ends on a
   * loop the trigger would have refused). Inactive holders are kept: callers say why they are out.
   */
  async withSuperiorChains(holderIds: string[], divisionIds: string[]): Promise<ChainHolderRow[]> {
    if (!holderIds.length && !divisionIds.length) return [];
    return this.ds.query(
      // `in (select unnest(...))` lets the planner hash or index-probe the lists; `= any(array)`
      // would test every row against hundreds of ids.
      `with recursive included(id) as (
         select id from responsibility_holders where id in (select unnest($1::uuid[]))
         union
         select id from responsibility_holders where division_id in (select unnest($2::uuid[]))
         union
         select h.superior_id from included i join responsibility_holders h on h.id = i.id where h.superior_id is not null)
       select h.id, h.name, h.role, h.division_id as "divisionId", d.code as "divisionCode", d.name as "divisionName",
              d.level as "divisionLevel", d.path::text as "divisionPath", h.mobile, h.other_phones as "otherPhones",
              h.superior_id as "superiorId", h.active
       from included i join responsibility_holders h on h.id = i.id join divisions d on d.id = h.division_id`,
      [holderIds, divisionIds],
    );
  }

  /**
   * Every number the registry keeps (holders' mobiles and other phones, duty lines) that starts
   * with `prefix`: the geo seed draws its invented helpers' and teams' phones around them.
   */
  async phonesStartingWith(prefix: string): Promise<string[]> {
    const rows: Array<{ phone: string }> = await this.ds.query(
      `select phone from (
         select mobile as phone from responsibility_holders
         union select unnest(other_phones) from responsibility_holders
         union select duty_phone from duty_rosters where duty_phone is not null) p
       where starts_with(phone, $1) order by phone`,
      [prefix],
    );
    return rows.map((r) => r.phone);
  }
}
