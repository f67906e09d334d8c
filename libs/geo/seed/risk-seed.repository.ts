import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RiskSeed } from './geo-seed.model';

/** Rows a statement inserted and rows it changed; rows already as wanted are left untouched. */
export interface Written {
  inserted: number;
  updated: number;
}

/**
 * Bulk upserts of the risk lists, one statement per kind of row (arrays through unnest), in the
 * registry seed's manner: a row is touched only when something differs, so a second run keeps
 * every xmin and updated_at. A boat's position, in-port flag and report time, and any object's
 * status, are live state: set when the row is first written, never reset by a re-seed.
 * Lists (indicators, vulnerable people, shelters) are compared as a whole per object and
 * replaced only when they differ.
 */
@Injectable()
export class RiskSeedRepository {
  async upsertObjects(m: EntityManager, risks: RiskSeed[]): Promise<Written> {
    const live = `risk_objects.type = 'fishing_boat'`;
    const geom = `case when ${live} then risk_objects.geom else excluded.geom end`;
    const attributes = `case when ${live} and risk_objects.attributes ? 'inPort'
      then excluded.attributes || jsonb_build_object('inPort', risk_objects.attributes -> 'inPort') else excluded.attributes end`;
    return written(
      await m.query(
        `insert into risk_objects (code, name, type, division_id, geom, attributes, threatened_households, threatened_people,
                                   primary_holder_id, backup_holder_id, position_reported_at)
         select t.code, t.name, t.type::risk_type, d.id, coalesce(g.geom, p.p), t.attributes::jsonb, t.households, t.people,
                t.primary_id, t.backup_id, t.reported_at
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::uuid[], $9::uuid[], $10::timestamptz[])
           as t(code, name, type, division_code, attributes, households, people, primary_id, backup_id, reported_at)
         join registry_divisions d on d.code = t.division_code
         left join geo_seed_geoms g on g.key = t.code
         left join geo_seed_points p on p.key = t.code
         on conflict (code) do update set
           name = excluded.name, type = excluded.type, division_id = excluded.division_id, geom = ${geom}, attributes = ${attributes},
           threatened_households = excluded.threatened_households, threatened_people = excluded.threatened_people,
           primary_holder_id = excluded.primary_holder_id, backup_holder_id = excluded.backup_holder_id, updated_at = now()
         where (risk_objects.name, risk_objects.type, risk_objects.division_id, st_asewkb(risk_objects.geom), risk_objects.attributes,
                risk_objects.threatened_households, risk_objects.threatened_people, risk_objects.primary_holder_id, risk_objects.backup_holder_id)
           is distinct from (excluded.name, excluded.type, excluded.division_id, st_asewkb(${geom}), ${attributes},
                excluded.threatened_households, excluded.threatened_people, excluded.primary_holder_id, excluded.backup_holder_id)
         returning (xmax = 0) as inserted`,
        [
          risks.map((r) => r.code),
          risks.map((r) => r.name),
          risks.map((r) => r.type),
          risks.map((r) => r.divisionCode),
          risks.map((r) => JSON.stringify(r.attributes)),
          risks.map((r) => r.households),
          risks.map((r) => r.people),
          risks.map((r) => r.primaryId),
          risks.map((r) => r.backupId),
          risks.map((r) => r.reportedAt),
        ],
      ),
    );
  }

  /** The boats' seeded position report (kept in history); a report already stored is left alone. */
  async insertVesselReports(m: EntityManager, risks: RiskSeed[]): Promise<number> {
    const boats = risks.filter((r) => r.type === 'fishing_boat' && r.reportedAt);
    const rows: unknown[] = await m.query(
      `insert into vessel_positions (risk_object_id, reported_at, position, in_port, received_at)
       select o.id, t.reported_at, p.p, t.in_port, t.reported_at
       from unnest($1::text[], $2::timestamptz[], $3::boolean[]) as t(code, reported_at, in_port)
       join risk_objects o on o.code = t.code join geo_seed_points p on p.key = t.code
       on conflict (risk_object_id, reported_at) do nothing
       returning 1`,
      [boats.map((b) => b.code), boats.map((b) => b.reportedAt), boats.map((b) => b.attributes.inPort === true)],
    );
    return rows.length;
  }

  /** 准备转移/立即转移 thresholds; returns how many objects had their list replaced. */
  async replaceIndicators(m: EntityManager, risks: RiskSeed[]): Promise<number> {
    const rows = risks.flatMap((r) => r.indicators.map((i) => ({ code: r.code, ...i })));
    return this.replaceList(m, risks, {
      table: 'risk_object_indicators',
      want: `select t.code, jsonb_build_array(t.w, t.p, t.i) as e
             from unnest($2::text[], $3::int[], $4::numeric[], $5::numeric[]) as t(code, w, p, i)`,
      have: `jsonb_build_array(x.window_hours, x.prepare_mm, x.immediate_mm)`,
      insert: `insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm)
               select c.id, (e ->> 0)::smallint, (e ->> 1)::numeric, (e ->> 2)::numeric from geo_seed_changed c cross join jsonb_array_elements(c.list) e`,
      params: [rows.map((x) => x.code), rows.map((x) => x.windowHours), rows.map((x) => x.prepareMm), rows.map((x) => x.immediateMm)],
    });
  }

  async replaceVulnerable(m: EntityManager, risks: RiskSeed[]): Promise<number> {
    const rows = risks.flatMap((r) => r.vulnerable.map((v) => ({ code: r.code, ...v })));
    return this.replaceList(m, risks, {
      table: 'risk_object_vulnerable_people',
      want: `select t.code, jsonb_build_array(t.name, t.category, t.needs, t.helper_name, t.helper_phone, t.helper_holder_id) as e
             from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[])
               as t(code, name, category, needs, helper_name, helper_phone, helper_holder_id)`,
      have: `jsonb_build_array(x.name, x.category, x.needs, x.helper_name, x.helper_phone, x.helper_holder_id)`,
      insert: `insert into risk_object_vulnerable_people (risk_object_id, name, category, needs, helper_name, helper_phone, helper_holder_id)
               select c.id, e ->> 0, e ->> 1, e ->> 2, e ->> 3, e ->> 4, (e ->> 5)::uuid from geo_seed_changed c cross join jsonb_array_elements(c.list) e`,
      params: [
        rows.map((x) => x.code),
        rows.map((x) => x.name),
        rows.map((x) => x.category),
        rows.map((x) => x.needs),
        rows.map((x) => x.helperName),
        rows.map((x) => x.helperPhone),
        rows.map((x) => x.helperHolderId),
      ],
    });
  }

  /**
   * Shelters by preference: the `shelters` nearest (on the spheroid) open shelters filed in the
   * object's town or below it; ties by code. Joins divisions for the town subtree (performance).
   */
  async replaceShelters(m: EntityManager, risks: RiskSeed[]): Promise<number> {
    const wanting = risks.filter((r) => r.shelters > 0);
    return this.replaceList(m, risks, {
      table: 'risk_object_shelters',
      want: `select t.code, jsonb_build_array(s.pref, s.id) as e
             from unnest($2::text[], $3::int[]) as t(code, k)
             join risk_objects o on o.code = t.code join registry_divisions d on d.id = o.division_id
             cross join lateral (
               select sh.id, row_number() over (order by st_distance(sh.location::geography, o.geom::geography), sh.code)::int as pref
               from shelters sh join registry_divisions sd on sd.id = sh.division_id
               where sd.path <@ subpath(d.path, 0, 2) and sh.open
               order by st_distance(sh.location::geography, o.geom::geography), sh.code limit t.k) s`,
      have: `jsonb_build_array(x.preference, x.shelter_id)`,
      insert: `insert into risk_object_shelters (risk_object_id, shelter_id, preference)
               select c.id, (e ->> 1)::uuid, (e ->> 0)::smallint from geo_seed_changed c cross join jsonb_array_elements(c.list) e`,
      params: [wanting.map((r) => r.code), wanting.map((r) => r.shelters)],
    });
  }

  /**
   * A list per seeded object as a canonical (sorted) jsonb array, against the stored one; the
   * objects whose lists differ get theirs deleted and written again. Three statements, since a
   * delete and an insert of the same keys cannot share one.
   */
  private async replaceList(
    m: EntityManager,
    risks: RiskSeed[],
    q: { table: string; want: string; have: string; insert: string; params: unknown[][] },
  ): Promise<number> {
    await m.query('drop table if exists pg_temp.geo_seed_changed');
    await m.query(
      `create temp table geo_seed_changed on commit drop as
       with want_rows as (${q.want}),
       want as (
         select o.id, coalesce(jsonb_agg(w.e order by w.e) filter (where w.e is not null), '[]'::jsonb) as list
         from unnest($1::text[]) as c(code) join risk_objects o on o.code = c.code left join want_rows w on w.code = c.code
         group by o.id),
       have as (
         select x.risk_object_id as id, jsonb_agg(${q.have} order by ${q.have}) as list
         from ${q.table} x where x.risk_object_id in (select id from want) group by x.risk_object_id)
       select want.id, want.list from want left join have on have.id = want.id
       where coalesce(have.list, '[]'::jsonb) is distinct from want.list`,
      [risks.map((r) => r.code), ...q.params],
    );
    await m.query(`delete from ${q.table} where risk_object_id in (select id from geo_seed_changed)`);
    await m.query(q.insert);
    const [row]: Array<{ n: number }> = await m.query('select count(*)::int as n from geo_seed_changed');
    return row.n;
  }
}

export function written(rows: Array<{ inserted: boolean }>): Written {
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}
