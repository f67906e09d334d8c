import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Indicator, RiskType, VulnerablePerson } from './risk-object.types';

export interface ShelterLinkRow {
  riskObjectId: string;
  preference: number;
  id: string;
  code: string;
  name: string;
  tier: string;
  capacity: number;
  open: boolean;
}

export interface RiskObjectDetails {
  people: Map<string, VulnerablePerson[]>;
  indicators: Map<string, Indicator[]>;
  shelters: Map<string, ShelterLinkRow[]>;
}

/** One object's register entry with every id resolved, ready to store. */
export interface RiskObjectWrite {
  code: string;
  name: string;
  type: RiskType;
  divisionId: string;
  /** RFC 7946 text as the GeoJSON checker normalised it. */
  geometry: string;
  attributes: Record<string, unknown>;
  threatenedHouseholds: number;
  threatenedPeople: number;
  primaryHolderId: string | null;
  backupHolderId: string | null;
  shelterIds: string[];
  vulnerablePeople: VulnerablePerson[];
  indicators: Indicator[];
}

/**
 * The lists that hang off a risk object (vulnerable people, indicators, shelters) and the batch
 * writes of whole objects. Batches use unnest() so an import of a thousand features costs a
 * handful of statements, not thousands.
 */
@Injectable()
export class RiskObjectDetailsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /** Distinct phones of the helpers (帮扶人) of these objects' vulnerable people, in phone order. */
  async helperPhones(ids: string[], manager?: EntityManager): Promise<string[]> {
    if (!ids.length) return [];
    const rows: Array<{ phone: string }> = await this.m(manager).query(
      'select distinct helper_phone as phone from risk_object_vulnerable_people where risk_object_id = any($1::uuid[]) order by 1',
      [ids],
    );
    return rows.map((r) => r.phone);
  }

  async load(ids: string[], manager?: EntityManager): Promise<RiskObjectDetails> {
    const out: RiskObjectDetails = { people: new Map(), indicators: new Map(), shelters: new Map() };
    if (!ids.length) return out;
    const m = this.m(manager);
    const [people, indicators, shelters] = await Promise.all([
      m.query(
        `select risk_object_id as "riskObjectId", name, category, needs, helper_name as "helperName", helper_phone as "helperPhone",
                helper_holder_id as "helperHolderId"
         from risk_object_vulnerable_people where risk_object_id = any($1::uuid[])`,
        [ids],
      ) as Promise<Array<VulnerablePerson & { riskObjectId: string }>>,
      m.query(
        `select risk_object_id as "riskObjectId", window_hours as "windowHours", prepare_mm::float8 as "prepareMm",
                immediate_mm::float8 as "immediateMm"
         from risk_object_indicators where risk_object_id = any($1::uuid[]) order by window_hours`,
        [ids],
      ) as Promise<Array<Indicator & { riskObjectId: string }>>,
      // Shelters belong to geo too; reading their code and name here labels the links in one query.
      m.query(
        `select rs.risk_object_id as "riskObjectId", rs.preference, s.id, s.code, s.name, s.tier::text as tier, s.capacity, s.open
         from risk_object_shelters rs join shelters s on s.id = rs.shelter_id
         where rs.risk_object_id = any($1::uuid[]) order by rs.preference`,
        [ids],
      ) as Promise<ShelterLinkRow[]>,
    ]);
    for (const { riskObjectId, ...p } of people) push(out.people, riskObjectId, p);
    for (const { riskObjectId, ...i } of indicators) push(out.indicators, riskObjectId, i);
    for (const s of shelters) push(out.shelters, s.riskObjectId, s);
    return out;
  }

  async findShelters(codes: string[], manager?: EntityManager): Promise<Array<{ id: string; code: string }>> {
    if (!codes.length) return [];
    return this.m(manager).query('select id, code from shelters where code = any($1::text[])', [codes]);
  }

  /**
   * Writes the base rows. `update` upserts by code (imports, edits); `insert` lets a taken code
   * fail with a unique violation (creates). Returns ids by code and which rows were new.
   */
  async upsert(
    writes: RiskObjectWrite[],
    mode: 'insert' | 'update',
    m: EntityManager,
  ): Promise<Array<{ id: string; code: string; inserted: boolean }>> {
    if (!writes.length) return [];
    const col = <T>(f: (w: RiskObjectWrite) => T) => writes.map(f);
    const conflict =
      mode === 'update'
        ? `on conflict (code) do update set name = excluded.name, type = excluded.type, division_id = excluded.division_id,
             geom = excluded.geom, attributes = excluded.attributes, threatened_households = excluded.threatened_households,
             threatened_people = excluded.threatened_people, primary_holder_id = excluded.primary_holder_id,
             backup_holder_id = excluded.backup_holder_id, updated_at = now()`
        : '';
    return m.query(
      `insert into risk_objects (code, name, type, division_id, geom, attributes, threatened_households, threatened_people,
                                 primary_holder_id, backup_holder_id)
       select t.code, t.name, t.type::risk_type, t.division_id, st_setsrid(st_geomfromgeojson(t.geom), 4326), t.attributes,
              t.households, t.people, t.primary_id, t.backup_id
       from unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::jsonb[], $7::int[], $8::int[], $9::uuid[], $10::uuid[])
            with ordinality as t(code, name, type, division_id, geom, attributes, households, people, primary_id, backup_id, ord)
       order by t.ord
       ${conflict}
       returning id, code, (xmax = 0) as inserted`,
      [
        col((w) => w.code),
        col((w) => w.name),
        col((w) => w.type),
        col((w) => w.divisionId),
        col((w) => w.geometry),
        col((w) => JSON.stringify(w.attributes)),
        col((w) => w.threatenedHouseholds),
        col((w) => w.threatenedPeople),
        col((w) => w.primaryHolderId),
        col((w) => w.backupHolderId),
      ],
    );
  }

  /** Replaces the three lists of these objects with the given ones. */
  async replaceLists(items: Array<{ id: string; write: RiskObjectWrite }>, m: EntityManager): Promise<void> {
    if (!items.length) return;
    const ids = items.map((i) => i.id);
    await m.query('delete from risk_object_vulnerable_people where risk_object_id = any($1::uuid[])', [ids]);
    await m.query('delete from risk_object_indicators where risk_object_id = any($1::uuid[])', [ids]);
    await m.query('delete from risk_object_shelters where risk_object_id = any($1::uuid[])', [ids]);
    const people = items.flatMap((i) => i.write.vulnerablePeople.map((p) => ({ id: i.id, ...p })));
    if (people.length) {
      await m.query(
        `insert into risk_object_vulnerable_people (risk_object_id, name, category, needs, helper_name, helper_phone, helper_holder_id)
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[])`,
        [
          people.map((p) => p.id),
          ...(['name', 'category', 'needs', 'helperName', 'helperPhone', 'helperHolderId'] as const).map((k) => people.map((p) => p[k])),
        ],
      );
    }
    const indicators = items.flatMap((i) => i.write.indicators.map((x) => ({ id: i.id, ...x })));
    if (indicators.length) {
      await m.query(
        `insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm)
         select * from unnest($1::uuid[], $2::smallint[], $3::numeric[], $4::numeric[])`,
        [
          indicators.map((x) => x.id),
          indicators.map((x) => x.windowHours),
          indicators.map((x) => x.prepareMm),
          indicators.map((x) => x.immediateMm),
        ],
      );
    }
    const links = items.flatMap((i) => i.write.shelterIds.map((shelterId, k) => ({ id: i.id, shelterId, preference: k + 1 })));
    if (links.length) {
      await m.query(
        `insert into risk_object_shelters (risk_object_id, shelter_id, preference)
         select * from unnest($1::uuid[], $2::uuid[], $3::smallint[])`,
        [links.map((l) => l.id), links.map((l) => l.shelterId), links.map((l) => l.preference)],
      );
    }
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
