import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { DataSource } from 'typeorm';
import { flattenValidationErrors } from '@fangxun/platform';
import type { DivisionLevel } from '@fangxun/registry';
import { PointDto } from '../../libs/geo/src/point-features/point.dto';
import type { RiskType } from '../../libs/geo/src/risk-objects/risk-object.types';
import { divisionLevelProblem, geometryTypeProblem, parseProperties, STRICT } from '../../libs/geo/src/risk-objects/risk-object-rules';
import { ShelterPropertiesDto } from '../../libs/geo/src/shelters/shelter.dto';
import { tierProblem } from '../../libs/geo/src/shelters/shelter-rules';
import { CreateDepotDto } from '../../libs/geo/src/supplies/depot.dto';
import { SetStockDto } from '../../libs/geo/src/supplies/stock.dto';
import { CreateTeamDto } from '../../libs/geo/src/teams/team.dto';
import { teamLevelProblem } from '../../libs/geo/src/teams/team-rules';

/** A DataSource, or the EntityManager of a transaction the test rolls back. */
export type Queryable = Pick<DataSource, 'query'>;

/**
 * Reads every seeded row back as the API's DTOs would receive it and runs the API's own
 * validation (class-validator with the global pipe's options, plus the per-type rules), so the
 * seed can never drift from what a duty officer could have typed in. Answers "code: problem".
 */
export async function riskObjectProblems(ds: Queryable): Promise<string[]> {
  const rows: Array<{ props: Record<string, unknown>; geometryType: string; level: DivisionLevel }> = await ds.query(
    `select jsonb_build_object(
              'code', o.code, 'name', o.name, 'type', o.type, 'divisionCode', d.code, 'attributes', o.attributes,
              'threatenedHouseholds', o.threatened_households, 'threatenedPeople', o.threatened_people,
              'primaryHolderId', o.primary_holder_id, 'backupHolderId', o.backup_holder_id,
              'shelters', (select coalesce(jsonb_agg(s.code order by x.preference), '[]') from risk_object_shelters x join shelters s on s.id = x.shelter_id where x.risk_object_id = o.id),
              'vulnerablePeople', (select coalesce(jsonb_agg(jsonb_build_object('name', v.name, 'category', v.category, 'needs', v.needs,
                  'helperName', v.helper_name, 'helperPhone', v.helper_phone, 'helperHolderId', v.helper_holder_id) order by v.name), '[]')
                from risk_object_vulnerable_people v where v.risk_object_id = o.id),
              'indicators', (select coalesce(jsonb_agg(jsonb_build_object('windowHours', i.window_hours, 'prepareMm', i.prepare_mm::float8,
                  'immediateMm', i.immediate_mm::float8) order by i.window_hours), '[]') from risk_object_indicators i where i.risk_object_id = o.id)
            ) as props, geometrytype(o.geom) as "geometryType", d.level as level
     from risk_objects o join divisions d on d.id = o.division_id order by o.code`,
  );
  return rows.flatMap((r) => {
    const code = String(r.props.code);
    const { problems } = parseProperties(r.props);
    const more = [geometryTypeProblem(r.props.type as RiskType, r.geometryType), divisionLevelProblem(r.level)].filter(Boolean);
    return [...problems.map((p) => `${code} ${p.field}: ${p.problem}`), ...more.map((p) => `${code}: ${p}`)];
  });
}

export async function placeProblems(ds: Queryable): Promise<string[]> {
  const shelters: Array<{ body: Record<string, unknown>; location: unknown; level: DivisionLevel }> = await ds.query(
    `select jsonb_build_object('code', s.code, 'name', s.name, 'tier', s.tier, 'divisionCode', d.code, 'capacity', s.capacity,
              'managerHolderId', s.manager_holder_id, 'facilities', to_jsonb(s.facilities), 'open', s.open) as body,
            st_asgeojson(s.location, 15)::jsonb as location, d.level
     from shelters s join divisions d on d.id = s.division_id order by s.code`,
  );
  const teams: Array<{ body: Record<string, unknown>; level: DivisionLevel }> = await ds.query(
    `select jsonb_build_object('code', t.code, 'name', t.name, 'level', t.level, 'divisionCode', d.code, 'members', t.members,
              'specialities', to_jsonb(t.specialities), 'base', st_asgeojson(t.base, 15)::jsonb, 'contactName', t.contact_name,
              'contactPhone', t.contact_phone, 'status', t.status) as body, d.level
     from rescue_teams t join divisions d on d.id = t.division_id order by t.code`,
  );
  const depots: Array<{ body: Record<string, unknown> }> = await ds.query(
    `select jsonb_build_object('code', s.code, 'name', s.name, 'divisionCode', d.code, 'location', st_asgeojson(s.location, 15)::jsonb,
              'managerHolderId', s.manager_holder_id) as body
     from supply_depots s join divisions d on d.id = s.division_id order by s.code`,
  );
  const stock: Array<{ body: Record<string, unknown>; depot: string }> = await ds.query(
    `select jsonb_build_object('category', st.category, 'item', st.item, 'unit', st.unit, 'quantity', st.quantity::float8) as body, s.code as depot
     from supply_stock st join supply_depots s on s.id = st.depot_id order by s.code, st.category, st.item`,
  );
  return [
    ...shelters.flatMap((s) => [
      ...check(ShelterPropertiesDto, s.body, String(s.body.code)),
      ...check(PointDto, s.location, `${String(s.body.code)} location`),
      ...[tierProblem(s.body.tier as never, s.level)].filter(Boolean).map((p) => `${String(s.body.code)} ${p!.field}: ${p!.problem}`),
    ]),
    ...teams.flatMap((t) => [
      ...check(CreateTeamDto, t.body, String(t.body.code)),
      ...[teamLevelProblem(t.body.level as never, t.level)].filter(Boolean).map((p) => `${String(t.body.code)} ${p!.field}: ${p!.problem}`),
    ]),
    ...depots.flatMap((d) => check(CreateDepotDto, d.body, String(d.body.code))),
    ...stock.flatMap((s) => check(SetStockDto, s.body, `${s.depot} ${String(s.body.item)}`)),
  ];
}

function check(cls: new () => object, plain: unknown, label: string): string[] {
  const errors = validateSync(plainToInstance(cls, plain), STRICT);
  return flattenValidationErrors(errors).map((p) => `${label} ${p.field}: ${p.problem}`);
}

/** Every table the geo seed writes, each row with its xmin: a row rewritten to the same values still changes the sum. */
export const GEO_CHECKSUM = `
  select md5(
    coalesce((select string_agg(concat_ws('|', id, code, name, type, division_id, md5(st_asewkb(geom)), attributes, threatened_households,
        threatened_people, status, primary_holder_id, backup_holder_id, position_reported_at, updated_at, xmin), ',' order by code) from risk_objects), '')
    || coalesce((select string_agg(concat_ws('|', risk_object_id, md5(st_asewkb(geom)), xmin), ',' order by risk_object_id, md5(st_asewkb(geom))) from risk_object_parts), '')
    || coalesce((select string_agg(concat_ws('|', id, risk_object_id, name, category, needs, helper_name, helper_phone, helper_holder_id, xmin), ',' order by id) from risk_object_vulnerable_people), '')
    || coalesce((select string_agg(concat_ws('|', risk_object_id, window_hours, prepare_mm, immediate_mm, xmin), ',' order by risk_object_id, window_hours) from risk_object_indicators), '')
    || coalesce((select string_agg(concat_ws('|', risk_object_id, shelter_id, preference, xmin), ',' order by risk_object_id, preference) from risk_object_shelters), '')
    || coalesce((select string_agg(concat_ws('|', risk_object_id, reported_at, md5(st_asewkb(position)), in_port, xmin), ',' order by risk_object_id, reported_at) from vessel_positions), '')
    || coalesce((select string_agg(concat_ws('|', id, code, name, tier, division_id, md5(st_asewkb(location)), capacity, occupancy, reserved,
        manager_holder_id, facilities, open, updated_at, xmin), ',' order by code) from shelters), '')
    || coalesce((select string_agg(concat_ws('|', id, code, name, level, division_id, members, specialities, md5(st_asewkb(base)), contact_name,
        contact_phone, status, updated_at, xmin), ',' order by code) from rescue_teams), '')
    || coalesce((select string_agg(concat_ws('|', id, code, name, division_id, md5(st_asewkb(location)), manager_holder_id, updated_at, xmin), ',' order by code) from supply_depots), '')
    || coalesce((select string_agg(concat_ws('|', depot_id, category, item, unit, quantity, updated_at, xmin), ',' order by depot_id, category, item) from supply_stock), '')
    || coalesce((select string_agg(concat_ws('|', id, depot_id, item, delta, quantity_after, xmin), ',' order by id) from supply_stock_movements), '')
  ) as sum`;

/**
 * The seed's content without row identities (ids, xmins, timestamps): holders by their
 * appointment key, shelters by code. Equal across databases when the seed is deterministic.
 */
export const GEO_CONTENT = `
  with h as (select h.id, concat_ws('/', d.code, h.role, h.mobile) as k from responsibility_holders h join divisions d on d.id = h.division_id)
  select md5(
    coalesce((select string_agg(concat_ws('|', o.code, o.name, o.type, d.code, md5(st_asewkb(o.geom)), o.attributes, o.threatened_households,
        o.threatened_people, p.k, b.k, o.position_reported_at), ',' order by o.code)
      from risk_objects o join divisions d on d.id = o.division_id left join h p on p.id = o.primary_holder_id left join h b on b.id = o.backup_holder_id), '')
    || coalesce((select string_agg(concat_ws('|', o.code, v.name, v.category, v.needs, v.helper_name, v.helper_phone, hh.k), ',' order by o.code, v.name, v.helper_phone)
      from risk_object_vulnerable_people v join risk_objects o on o.id = v.risk_object_id left join h hh on hh.id = v.helper_holder_id), '')
    || coalesce((select string_agg(concat_ws('|', o.code, i.window_hours, i.prepare_mm, i.immediate_mm), ',' order by o.code, i.window_hours)
      from risk_object_indicators i join risk_objects o on o.id = i.risk_object_id), '')
    || coalesce((select string_agg(concat_ws('|', o.code, s.code, x.preference), ',' order by o.code, x.preference)
      from risk_object_shelters x join risk_objects o on o.id = x.risk_object_id join shelters s on s.id = x.shelter_id), '')
    || coalesce((select string_agg(concat_ws('|', s.code, s.name, s.tier, md5(st_asewkb(s.location)), s.capacity, m.k, s.facilities), ',' order by s.code)
      from shelters s left join h m on m.id = s.manager_holder_id), '')
    || coalesce((select string_agg(concat_ws('|', t.code, t.name, t.members, t.specialities, md5(st_asewkb(t.base)), t.contact_name, t.contact_phone), ',' order by t.code) from rescue_teams t), '')
    || coalesce((select string_agg(concat_ws('|', s.code, st.item, st.quantity), ',' order by s.code, st.item) from supply_stock st join supply_depots s on s.id = st.depot_id), '')
  ) as sum`;
