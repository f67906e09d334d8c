import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { divisionColumns, pointParam } from '../point-features/place-sql';
import type { StoredPoint } from '../point-features/point-feature-importer';
import type { Speciality, TeamLevel, TeamStatus } from './team-rules';

/** A team row labelled with its division; `base` is RFC 7946 GeoJSON text (15 digits: lossless). */
export interface TeamRow {
  id: string;
  code: string;
  name: string;
  level: TeamLevel;
  divisionId: string;
  divisionCode: string;
  divisionName: string;
  divisionPath: string;
  members: number;
  specialities: Speciality[];
  base: string;
  contactName: string;
  contactPhone: string;
  status: TeamStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** The register fields; `location` is the base point. Status moves only through setStatus(). */
export interface TeamWrite {
  code: string;
  name: string;
  level: TeamLevel;
  divisionId: string;
  location: string;
  members: number;
  specialities: Speciality[];
  contactName: string;
  contactPhone: string;
}

export interface TeamFilter {
  withinPath: string;
  level?: TeamLevel;
  status?: TeamStatus;
  speciality?: Speciality;
  desc?: boolean;
  afterCode?: string;
  limit?: number;
}

const COLUMNS = `t.id, t.code, t.name, t.level, t.division_id as "divisionId", ${divisionColumns('d')}, t.members, t.specialities, st_asgeojson(t.base, 15) as base, t.contact_name as "contactName",
  t.contact_phone as "contactPhone", t.status, t.created_at as "createdAt", t.updated_at as "updatedAt"`;
const FROM = 'from rescue_teams t join registry_divisions d on d.id = t.division_id';

/** Named queries over rescue_teams. */
@Injectable()
export class TeamRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async findByCode(code: string): Promise<TeamRow | undefined> {
    const rows: TeamRow[] = await this.ds.query(`select ${COLUMNS} ${FROM} where t.code = $1`, [code]);
    return rows[0];
  }

  /** A page (or, without a limit, everything for an export) in code order. */
  async list(f: TeamFilter): Promise<TeamRow[]> {
    const params: unknown[] = [f.withinPath];
    const where = ['d.path <@ $1::ltree'];
    if (f.level) where.push(`t.level = $${params.push(f.level)}::team_level`);
    if (f.status) where.push(`t.status = $${params.push(f.status)}::team_status`);
    if (f.speciality) where.push(`$${params.push(f.speciality)} = any(t.specialities)`);
    if (f.afterCode !== undefined) where.push(`t.code ${f.desc ? '<' : '>'} $${params.push(f.afterCode)}`);
    const limit = f.limit ? ` limit $${params.push(f.limit)}` : '';
    return this.ds.query(
      `select ${COLUMNS} ${FROM} where ${where.join(' and ')} order by t.code ${f.desc ? 'desc' : 'asc'}${limit}`,
      params,
    );
  }

  async insert(w: TeamWrite, status: TeamStatus, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(
      `insert into rescue_teams (code, name, level, division_id, base, members, specialities, contact_name, contact_phone, status)
       values ($1, $2, $3, $4, ${pointParam(5)}, $6, $7::text[], $8, $9, $10)`,
      [w.code, w.name, w.level, w.divisionId, w.location, w.members, w.specialities, w.contactName, w.contactPhone, status],
    );
  }

  /** Register fields, and the status too when one is given (a PATCH may change both in one statement). */
  async update(id: string, w: TeamWrite, status: TeamStatus | null, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(
      `update rescue_teams set name = $2, level = $3, division_id = $4, base = ${pointParam(5)}, members = $6, specialities = $7::text[],
         contact_name = $8, contact_phone = $9, status = coalesce($10::team_status, status), updated_at = now()
       where id = $1`,
      [id, w.name, w.level, w.divisionId, w.location, w.members, w.specialities, w.contactName, w.contactPhone, status],
    );
  }

  async setStatus(id: string, status: TeamStatus, manager?: EntityManager): Promise<void> {
    await this.m(manager).query('update rescue_teams set status = $2, updated_at = now() where id = $1', [id, status]);
  }

  /** Stored teams with these codes, locked until the import's transaction ends. */
  async lockByCodes(codes: string[], m: EntityManager): Promise<Map<string, StoredPoint<TeamWrite>>> {
    if (!codes.length) return new Map();
    const rows: TeamRow[] = await m.query(`select ${COLUMNS} ${FROM} where t.code = any($1::text[]) order by t.code for update of t`, [
      codes,
    ]);
    return new Map(
      rows.map((r) => [
        r.code,
        {
          id: r.id,
          divisionPath: r.divisionPath,
          code: r.code,
          name: r.name,
          level: r.level,
          divisionId: r.divisionId,
          location: r.base,
          members: r.members,
          specialities: r.specialities,
          contactName: r.contactName,
          contactPhone: r.contactPhone,
        },
      ]),
    );
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.m(manager).query('delete from rescue_teams where id = $1', [id]);
  }
}
