import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@fangxun/database';

export interface RosterRow {
  id: string;
  dutyDate: string;
  divisionId: string;
  divisionCode: string;
  divisionPath: string;
  leaderId: string;
  dutyPhone: string | null;
  notes: string | null;
  officerIds: string[];
}

export interface RosterWrite {
  dutyDate: string;
  divisionId: string;
  leaderId: string;
  officerIds: string[];
  dutyPhone: string | null;
  notes: string | null;
}

const SELECT = `
  select r.id, to_char(r.duty_date, 'YYYY-MM-DD') as "dutyDate", r.division_id as "divisionId", d.code as "divisionCode",
         d.path::text as "divisionPath", r.leader_id as "leaderId", r.duty_phone as "dutyPhone", r.notes,
         coalesce(array(select o.holder_id from duty_roster_officers o where o.roster_id = r.id order by o.holder_id), '{}') as "officerIds"
  from duty_rosters r join divisions d on d.id = r.division_id`;

@Injectable()
export class RosterRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async findById(id: string): Promise<RosterRow | undefined> {
    const rows: RosterRow[] = await this.ds.query(`${SELECT} where r.id = $1`, [id]);
    return rows[0];
  }

  /** The roster of the root division (the city) for a day. */
  async forRootOn(dutyDate: string): Promise<RosterRow | undefined> {
    const rows: RosterRow[] = await this.ds.query(`${SELECT} where d.parent_id is null and r.duty_date = $1::date`, [dutyDate]);
    return rows[0];
  }

  async list(f: {
    withinPath: string;
    from?: string;
    to?: string;
    desc: boolean;
    after?: [string, string];
    limit: number;
  }): Promise<RosterRow[]> {
    const params: unknown[] = [f.withinPath];
    const where = ['d.path <@ $1::ltree'];
    if (f.from) where.push(`r.duty_date >= $${params.push(f.from)}::date`);
    if (f.to) where.push(`r.duty_date <= $${params.push(f.to)}::date`);
    if (f.after)
      where.push(`(r.duty_date, r.id) ${f.desc ? '<' : '>'} ($${params.push(f.after[0])}::date, $${params.push(f.after[1])}::uuid)`);
    const dir = f.desc ? 'desc' : 'asc';
    return this.ds.query(
      `${SELECT} where ${where.join(' and ')} order by r.duty_date ${dir}, r.id ${dir} limit $${params.push(f.limit)}`,
      params,
    );
  }

  /** `onSaved` runs in the same transaction with the roster's id (the audit log). */
  async save(id: string | undefined, w: RosterWrite, onSaved?: (m: EntityManager, id: string) => Promise<void>): Promise<string> {
    return inTransaction(this.ds, async (m: EntityManager) => {
      let rosterId = id;
      if (rosterId) {
        await m.query(
          `update duty_rosters set duty_date = $2, division_id = $3, leader_id = $4, duty_phone = $5, notes = $6, updated_at = now() where id = $1`,
          [rosterId, w.dutyDate, w.divisionId, w.leaderId, w.dutyPhone, w.notes],
        );
        await m.query('delete from duty_roster_officers where roster_id = $1', [rosterId]);
      } else {
        const [row]: Array<{ id: string }> = await m.query(
          `insert into duty_rosters (duty_date, division_id, leader_id, duty_phone, notes) values ($1, $2, $3, $4, $5) returning id`,
          [w.dutyDate, w.divisionId, w.leaderId, w.dutyPhone, w.notes],
        );
        rosterId = row.id;
      }
      if (w.officerIds.length) {
        await m.query('insert into duty_roster_officers (roster_id, holder_id) select $1, unnest($2::uuid[])', [
          rosterId,
          [...new Set(w.officerIds)],
        ]);
      }
      if (onSaved) await onSaved(m, rosterId);
      return rosterId;
    });
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.ds.manager).query('delete from duty_rosters where id = $1', [id]);
  }
}
