import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { divisionColumns, pointParam } from '../point-features/place-sql';
import type { StoredPoint } from '../point-features/point-feature-importer';
import type { Facility, ShelterTier } from './shelter-rules';

/** A shelter row labelled with its division; `location` is RFC 7946 GeoJSON text (15 digits: lossless). */
export interface ShelterRow {
  id: string;
  code: string;
  name: string;
  tier: ShelterTier;
  divisionId: string;
  divisionCode: string;
  divisionName: string;
  divisionPath: string;
  location: string;
  capacity: number;
  occupancy: number;
  reserved: number;
  managerHolderId: string | null;
  facilities: Facility[];
  open: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ShelterTownTotals {
  town: string;
  shelters: number;
  capacity: number;
  occupancy: number;
  reserved: number;
}

/** What a create, a patch or an import writes; occupancy and reservations move only through shift(). */
export interface ShelterWrite {
  code: string;
  name: string;
  tier: ShelterTier;
  divisionId: string;
  location: string;
  capacity: number;
  managerHolderId: string | null;
  facilities: Facility[];
  open: boolean;
}

export interface ShelterFilter {
  withinPath: string;
  tier?: ShelterTier;
  open?: boolean;
  hasFreePlaces?: boolean;
  desc?: boolean;
  afterCode?: string;
  limit?: number;
}

const COLUMNS = `s.id, s.code, s.name, s.tier, s.division_id as "divisionId", ${divisionColumns('d')}, st_asgeojson(s.location, 15) as location, s.capacity, s.occupancy, s.reserved,
  s.manager_holder_id as "managerHolderId", s.facilities, s.open, s.created_at as "createdAt", s.updated_at as "updatedAt"`;
const FROM = 'from shelters s join registry_divisions d on d.id = s.division_id';

/** Named queries over shelters. Capacity is a hard limit in the table itself (shelters_capacity_is_a_hard_limit). */
@Injectable()
export class ShelterRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async findByCode(code: string, manager?: EntityManager): Promise<ShelterRow | undefined> {
    const rows: ShelterRow[] = await this.m(manager).query(`select ${COLUMNS} ${FROM} where s.code = $1`, [code]);
    return rows[0];
  }

  /** Capacity, occupancy and reservations summed per town (the second label of the division path) under these paths. */
  async totalsByTown(paths: string[], manager?: EntityManager): Promise<ShelterTownTotals[]> {
    return this.m(manager).query(
      `select case when nlevel(d.path) >= 2 then subltree(d.path, 1, 2)::text else d.path::text end as town,
              count(*)::int as shelters, sum(s.capacity)::int as capacity, sum(s.occupancy)::int as occupancy, sum(s.reserved)::int as reserved
       from shelters s join registry_divisions d on d.id = s.division_id
       where d.path <@ any($1::ltree[]) group by 1 order by 1`,
      [paths],
    );
  }

  async findByIds(ids: string[], manager?: EntityManager): Promise<ShelterRow[]> {
    if (!ids.length) return [];
    return this.m(manager).query(`select ${COLUMNS} ${FROM} where s.id = any($1::uuid[]) order by s.code`, [ids]);
  }

  async findByCodes(codes: string[], manager?: EntityManager): Promise<ShelterRow[]> {
    if (!codes.length) return [];
    return this.m(manager).query(`select ${COLUMNS} ${FROM} where s.code = any($1::text[]) order by s.code`, [codes]);
  }

  /** A page (or, without a limit, everything for an export) in code order. */
  async list(f: ShelterFilter): Promise<ShelterRow[]> {
    const params: unknown[] = [f.withinPath];
    const where = ['d.path <@ $1::ltree'];
    if (f.tier) where.push(`s.tier = $${params.push(f.tier)}::shelter_tier`);
    if (f.open !== undefined) where.push(`s.open = $${params.push(f.open)}`);
    if (f.hasFreePlaces !== undefined) where.push(`(s.capacity - s.occupancy - s.reserved > 0) = $${params.push(f.hasFreePlaces)}`);
    if (f.afterCode !== undefined) where.push(`s.code ${f.desc ? '<' : '>'} $${params.push(f.afterCode)}`);
    const limit = f.limit ? ` limit $${params.push(f.limit)}` : '';
    return this.ds.query(
      `select ${COLUMNS} ${FROM} where ${where.join(' and ')} order by s.code ${f.desc ? 'desc' : 'asc'}${limit}`,
      params,
    );
  }

  async insert(w: ShelterWrite, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(
      `insert into shelters (code, name, tier, division_id, location, capacity, manager_holder_id, facilities, open)
       values ($1, $2, $3, $4, ${pointParam(5)}, $6, $7, $8::text[], $9)`,
      [w.code, w.name, w.tier, w.divisionId, w.location, w.capacity, w.managerHolderId, w.facilities, w.open],
    );
  }

  async update(id: string, w: ShelterWrite, manager?: EntityManager): Promise<void> {
    await this.m(manager).query(
      `update shelters set name = $2, tier = $3, division_id = $4, location = ${pointParam(5)}, capacity = $6, manager_holder_id = $7,
         facilities = $8::text[], open = $9, updated_at = now()
       where id = $1`,
      [id, w.name, w.tier, w.divisionId, w.location, w.capacity, w.managerHolderId, w.facilities, w.open],
    );
  }

  /** Stored shelters with these codes, locked until the import's transaction ends. */
  async lockByCodes(
    codes: string[],
    m: EntityManager,
  ): Promise<Map<string, StoredPoint<ShelterWrite> & { occupancy: number; reserved: number }>> {
    if (!codes.length) return new Map();
    const rows: ShelterRow[] = await m.query(`select ${COLUMNS} ${FROM} where s.code = any($1::text[]) order by s.code for update of s`, [
      codes,
    ]);
    return new Map(
      rows.map((r) => [
        r.code,
        {
          id: r.id,
          divisionPath: r.divisionPath,
          occupancy: r.occupancy,
          reserved: r.reserved,
          code: r.code,
          name: r.name,
          tier: r.tier,
          divisionId: r.divisionId,
          location: r.location,
          capacity: r.capacity,
          managerHolderId: r.managerHolderId,
          facilities: r.facilities,
          open: r.open,
        },
      ]),
    );
  }

  /**
   * Moves people and reservations in ONE statement whose WHERE holds every limit, so that
   * concurrent check-ins serialise on the row lock and each one re-tests the limit against
   * the committed count: no read-then-write window. Answers the updated row, or nothing when
   * a limit (or `open`, when required) refused it; the table's check is the backstop.
   */
  async shift(
    code: string,
    occupancyDelta: number,
    reservedDelta: number,
    requireOpen: boolean,
    manager?: EntityManager,
  ): Promise<ShelterRow | undefined> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows]: [ShelterRow[], number] = await this.m(manager).query(
      `update shelters s set occupancy = s.occupancy + $2, reserved = s.reserved + $3, updated_at = now()
       from registry_divisions d
       where d.id = s.division_id and s.code = $1 and (s.open or not $4)
         and s.occupancy + $2 >= 0 and s.reserved + $3 >= 0 and s.occupancy + $2 + s.reserved + $3 <= s.capacity
       returning ${COLUMNS}`,
      [code, occupancyDelta, reservedDelta, requireOpen],
    );
    return rows[0];
  }

  /** What keeps a shelter from being deleted. */
  async assignedRiskObjects(id: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.ds.query('select count(*)::int as n from risk_object_shelters where shelter_id = $1', [
      id,
    ]);
    return row.n;
  }

  /** Deletes only an empty shelter (re-tested here, not just before): answers whether it went. */
  async deleteIfEmpty(id: string, manager?: EntityManager): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.m(manager).query(
      'delete from shelters where id = $1 and occupancy = 0 and reserved = 0',
      [id],
    );
    return count > 0;
  }
}
