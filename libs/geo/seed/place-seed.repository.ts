import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DepotSeed, ShelterSeed, TeamSeed } from './geo-seed.model';
import { Written, written } from './risk-seed.repository';

/**
 * Shelters, rescue teams, supply depots and their stock, upserted by code like the risk lists.
 * Live state is never reset by a re-seed: a shelter's occupancy, reservations and open flag, a
 * team's status, a depot's counted stock. A capacity is not lowered below what is in use.
 */
@Injectable()
export class PlaceSeedRepository {
  async upsertShelters(m: EntityManager, shelters: ShelterSeed[]): Promise<Written> {
    const capacity = 'greatest(excluded.capacity, shelters.occupancy + shelters.reserved)';
    return written(
      await m.query(
        `insert into shelters (code, name, tier, division_id, location, capacity, manager_holder_id, facilities)
         select t.code, t.name, t.tier::shelter_tier, d.id, p.p, t.capacity, t.manager_id, string_to_array(t.facilities, ',')
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::uuid[], $7::text[])
           as t(code, name, tier, division_code, capacity, manager_id, facilities)
         join registry_divisions d on d.code = t.division_code join geo_seed_points p on p.key = t.code
         on conflict (code) do update set
           name = excluded.name, tier = excluded.tier, division_id = excluded.division_id, location = excluded.location,
           capacity = ${capacity}, manager_holder_id = excluded.manager_holder_id, facilities = excluded.facilities, updated_at = now()
         where (shelters.name, shelters.tier, shelters.division_id, st_asewkb(shelters.location), shelters.capacity, shelters.manager_holder_id, shelters.facilities)
           is distinct from (excluded.name, excluded.tier, excluded.division_id, st_asewkb(excluded.location), ${capacity}, excluded.manager_holder_id, excluded.facilities)
         returning (xmax = 0) as inserted`,
        [
          shelters.map((s) => s.code),
          shelters.map((s) => s.name),
          shelters.map((s) => s.tier),
          shelters.map((s) => s.divisionCode),
          shelters.map((s) => s.capacity),
          shelters.map((s) => s.managerId),
          shelters.map((s) => s.facilities.join(',')),
        ],
      ),
    );
  }

  async upsertTeams(m: EntityManager, teams: TeamSeed[]): Promise<Written> {
    return written(
      await m.query(
        `insert into rescue_teams (code, name, level, division_id, members, specialities, base, contact_name, contact_phone)
         select t.code, t.name, t.level::team_level, d.id, t.members, string_to_array(t.specialities, ','), p.p, t.contact_name, t.contact_phone
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[])
           as t(code, name, level, division_code, members, specialities, contact_name, contact_phone)
         join registry_divisions d on d.code = t.division_code join geo_seed_points p on p.key = t.code
         on conflict (code) do update set
           name = excluded.name, level = excluded.level, division_id = excluded.division_id, members = excluded.members,
           specialities = excluded.specialities, base = excluded.base, contact_name = excluded.contact_name,
           contact_phone = excluded.contact_phone, updated_at = now()
         where (rescue_teams.name, rescue_teams.level, rescue_teams.division_id, rescue_teams.members, rescue_teams.specialities,
                st_asewkb(rescue_teams.base), rescue_teams.contact_name, rescue_teams.contact_phone)
           is distinct from (excluded.name, excluded.level, excluded.division_id, excluded.members, excluded.specialities,
                st_asewkb(excluded.base), excluded.contact_name, excluded.contact_phone)
         returning (xmax = 0) as inserted`,
        [
          teams.map((t) => t.code),
          teams.map((t) => t.name),
          teams.map((t) => t.level),
          teams.map((t) => t.divisionCode),
          teams.map((t) => t.members),
          teams.map((t) => t.specialities.join(',')),
          teams.map((t) => t.contactName),
          teams.map((t) => t.contactPhone),
        ],
      ),
    );
  }

  async upsertDepots(m: EntityManager, depots: DepotSeed[]): Promise<Written> {
    return written(
      await m.query(
        `insert into supply_depots (code, name, division_id, location, manager_holder_id)
         select t.code, t.name, d.id, p.p, t.manager_id
         from unnest($1::text[], $2::text[], $3::text[], $4::uuid[]) as t(code, name, division_code, manager_id)
         join registry_divisions d on d.code = t.division_code join geo_seed_points p on p.key = t.code
         on conflict (code) do update set
           name = excluded.name, division_id = excluded.division_id, location = excluded.location,
           manager_holder_id = excluded.manager_holder_id, updated_at = now()
         where (supply_depots.name, supply_depots.division_id, st_asewkb(supply_depots.location), supply_depots.manager_holder_id)
           is distinct from (excluded.name, excluded.division_id, st_asewkb(excluded.location), excluded.manager_holder_id)
         returning (xmax = 0) as inserted`,
        [depots.map((d) => d.code), depots.map((d) => d.name), depots.map((d) => d.divisionCode), depots.map((d) => d.managerId)],
      ),
    );
  }

  /**
   * Initial stock: items a depot does not hold yet are added with a movement saying so (the
   * depot's count stays explainable); items it holds keep their counted quantity.
   */
  async insertMissingStock(m: EntityManager, depots: DepotSeed[]): Promise<number> {
    const rows = depots.flatMap((d) => d.stock.map((s) => ({ depot: d.code, ...s })));
    const added: unknown[] = await m.query(
      `with added as (
         insert into supply_stock (depot_id, category, item, unit, quantity)
         select s.id, t.category, t.item, t.unit, t.quantity
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[]) as t(depot, category, item, unit, quantity)
         join supply_depots s on s.code = t.depot
         on conflict (depot_id, category, item) do nothing
         returning depot_id, category, item, quantity),
       moved as (
         insert into supply_stock_movements (depot_id, category, item, delta, quantity_after, reason, actor)
         select depot_id, category, item, quantity, quantity, '初始库存（演示数据）', 'seed' from added where quantity <> 0
         returning 1)
       select 1 from added`,
      [
        rows.map((r) => r.depot),
        rows.map((r) => r.category),
        rows.map((r) => r.item),
        rows.map((r) => r.unit),
        rows.map((r) => r.quantity),
      ],
    );
    return added.length;
  }

  /** What the geo tables hold after the seed, for the summary. */
  async counts(m: EntityManager): Promise<GeoSeedCounts> {
    const [row]: GeoSeedCounts[] = await m.query(
      `select (select coalesce(jsonb_object_agg(type, n), '{}') from (select type, count(*)::int as n from risk_objects group by type) x) as "riskObjects",
              (select coalesce(sum(threatened_people), 0) from risk_objects where type not in ('fishing_boat', 'offshore_project'))::int as "threatenedOnLand",
              (select count(*) from risk_object_vulnerable_people)::int as "vulnerablePeople",
              (select count(*) from shelters)::int as shelters,
              (select coalesce(sum(capacity), 0) from shelters)::int as "shelterCapacity",
              (select count(*) from rescue_teams where level = 'city')::int as "cityTeams",
              (select coalesce(sum(members), 0) from rescue_teams where level = 'city')::int as "cityTeamMembers",
              (select count(*) from rescue_teams where level = 'town')::int as "townTeams",
              (select coalesce(sum(members), 0) from rescue_teams where level = 'town')::int as "townTeamMembers",
              (select count(*) from supply_depots)::int as depots,
              (select coalesce(sum(quantity), 0) from supply_stock where category = 'boats')::int as "rescueBoats",
              (select coalesce(sum(quantity), 0) from supply_stock where item = '卫星电话')::int as "satellitePhones",
              (select coalesce(sum(quantity), 0) from supply_stock where category = 'lighting')::int as lighting`,
    );
    return row;
  }
}

export interface GeoSeedCounts {
  riskObjects: Record<string, number>;
  threatenedOnLand: number;
  vulnerablePeople: number;
  shelters: number;
  shelterCapacity: number;
  cityTeams: number;
  cityTeamMembers: number;
  townTeams: number;
  townTeamMembers: number;
  depots: number;
  rescueBoats: number;
  satellitePhones: number;
  lighting: number;
}
