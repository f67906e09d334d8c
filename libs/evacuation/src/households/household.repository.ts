import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HouseholdRow, HouseholdWrite } from './household.types';

const COLUMNS = `h.id, h.code, h.risk_object_id as "riskObjectId", h.division_id as "divisionId", d.code as "divisionCode",
  d.name as "divisionName", d.path::text as "divisionPath", h.head_name as "headName", h.head_phone as "headPhone", h.members,
  h.responsible_holder_id as "responsibleHolderId", h.shelter_id as "shelterId", h.route_note as "routeNote", h.address,
  h.created_at as "createdAt", h.updated_at as "updatedAt",
  coalesce((select jsonb_agg(jsonb_build_object('name', v.name, 'category', v.category, 'needs', v.needs, 'helperName', v.helper_name,
      'helperPhone', v.helper_phone, 'helperHolderId', v.helper_holder_id) order by v.position)
    from evac_household_vulnerable v where v.household_id = h.id), '[]'::jsonb) as vulnerable`;
const FROM = 'from evac_households h join registry_divisions d on d.id = h.division_id';

export interface HouseholdFilter {
  withinPath: string;
  riskObjectIds?: string[];
  afterCode?: string;
  limit: number;
}

/** Named queries over the household register (evac_households and its vulnerable members). */
@Injectable()
export class HouseholdRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async list(f: HouseholdFilter): Promise<HouseholdRow[]> {
    return this.ds.query(
      `select ${COLUMNS} ${FROM}
       where d.path <@ $1::ltree and ($2::uuid[] is null or h.risk_object_id = any($2::uuid[])) and ($3::text is null or h.code > $3)
       order by h.code limit $4`,
      [f.withinPath, f.riskObjectIds ?? null, f.afterCode ?? null, f.limit],
    );
  }

  async findByCode(code: string): Promise<HouseholdRow | undefined> {
    const rows: HouseholdRow[] = await this.ds.query(`select ${COLUMNS} ${FROM} where h.code = $1`, [code]);
    return rows[0];
  }

  async findByCodes(codes: string[], manager?: EntityManager): Promise<HouseholdRow[]> {
    if (!codes.length) return [];
    return this.m(manager).query(`select ${COLUMNS} ${FROM} where h.code = any($1::text[]) order by h.code`, [codes]);
  }

  /** Households of these risk objects, or (divisions) under these paths, for a transfer order. */
  async forOrder(m: EntityManager | undefined, riskObjectIds: string[], paths: string[]): Promise<HouseholdRow[]> {
    return this.m(m).query(
      `select ${COLUMNS} ${FROM}
       where h.risk_object_id = any($1::uuid[]) or d.path <@ any($2::ltree[])
       order by h.risk_object_id, h.code`,
      [riskObjectIds, paths],
    );
  }

  /**
   * Inserts or updates households by code, replacing the vulnerable lists of those written,
   * in a handful of statements whatever the count (unnest). Answers how many were new.
   */
  async upsertMany(writes: HouseholdWrite[], m: EntityManager): Promise<{ inserted: number; updated: number }> {
    if (!writes.length) return { inserted: 0, updated: 0 };
    const rows: Array<{ id: string; inserted: boolean }> = await m.query(
      `insert into evac_households (code, risk_object_id, division_id, head_name, head_phone, members, responsible_holder_id,
                                   shelter_id, route_note, address)
       select * from unnest($1::varchar[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::smallint[], $7::uuid[],
                            $8::uuid[], $9::varchar[], $10::varchar[])
       on conflict (code) do update set risk_object_id = excluded.risk_object_id, division_id = excluded.division_id,
         head_name = excluded.head_name, head_phone = excluded.head_phone, members = excluded.members,
         responsible_holder_id = excluded.responsible_holder_id, shelter_id = excluded.shelter_id,
         route_note = excluded.route_note, address = excluded.address, updated_at = now()
       returning id, (xmax = 0) as inserted`,
      [
        writes.map((w) => w.code),
        writes.map((w) => w.riskObjectId),
        writes.map((w) => w.divisionId),
        writes.map((w) => w.headName),
        writes.map((w) => w.headPhone),
        writes.map((w) => w.members),
        writes.map((w) => w.responsibleHolderId),
        writes.map((w) => w.shelterId),
        writes.map((w) => w.routeNote),
        writes.map((w) => w.address),
      ],
    );
    const ids = rows.map((r) => r.id);
    await m.query('delete from evac_household_vulnerable where household_id = any($1::uuid[])', [ids]);
    const people = writes.flatMap((w, i) => w.vulnerable.map((v, k) => ({ ...v, householdId: ids[i], position: k + 1 })));
    if (people.length) {
      await m.query(
        `insert into evac_household_vulnerable (household_id, position, name, category, needs, helper_name, helper_phone, helper_holder_id)
         select * from unnest($1::uuid[], $2::smallint[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::uuid[])`,
        [
          people.map((p) => p.householdId),
          people.map((p) => p.position),
          people.map((p) => p.name),
          people.map((p) => p.category),
          people.map((p) => p.needs),
          people.map((p) => p.helperName),
          people.map((p) => p.helperPhone),
          people.map((p) => p.helperHolderId),
        ],
      );
    }
    const inserted = rows.filter((r) => r.inserted).length;
    return { inserted, updated: rows.length - inserted };
  }

  /** Totals for the seed's summary and its test: households, people, vulnerable members. */
  async totals(manager?: EntityManager): Promise<{ households: number; people: number; vulnerable: number }> {
    const [r]: Array<{ households: number; people: number; vulnerable: number }> = await this.m(manager).query(
      `select (select count(*) from evac_households)::int as households,
              (select coalesce(sum(members), 0) from evac_households)::int as people,
              (select count(*) from evac_household_vulnerable)::int as vulnerable`,
    );
    return r;
  }
}
