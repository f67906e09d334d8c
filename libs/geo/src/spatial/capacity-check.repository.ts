import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface CapacityFigures {
  riskObjects: number;
  threatenedPeople: number;
  /** Open shelters filed in the unit. */
  shelterCapacity: number;
  /** Open shelters assigned to the unit's risk objects, wherever they are (each once). */
  assignedCapacity: number;
  /** Open shelters that are either, each once: what the unit's people can use. */
  usableCapacity: number;
}

export interface CapacityUnitRow extends CapacityFigures {
  code: string;
  name: string;
}

const FIGURES = `coalesce(t.objects, 0)::int as "riskObjects", coalesce(t.people, 0)::int as "threatenedPeople",
  coalesce(l.cap, 0)::int as "shelterCapacity", coalesce(a.cap, 0)::int as "assignedCapacity", coalesce(x.cap, 0)::int as "usableCapacity"`;

/**
 * The pre-season check: threatened people against shelter places, per town or village and in
 * all. Objects and shelters belong to a unit by filing (their division lies under it), not by
 * geometry: the registry's division is the authority. Joins `registry_divisions` (registry's exported view) for path and code only.
 */
@Injectable()
export class CapacityCheckRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** `depth` is the ltree depth of the level (town 2, village 3): a row's unit is subpath(path, 0, depth). */
  async perUnit(level: 'town' | 'village', depth: number, withinPath: string): Promise<CapacityUnitRow[]> {
    return this.ds.query(
      `with u as (select id, code, name, path from registry_divisions where level = $1::division_level and path <@ $2::ltree),
       obj as (
         select u.id as unit_id, r.id, r.threatened_people from risk_objects r join registry_divisions d on d.id = r.division_id
         join u on nlevel(d.path) >= $3 and u.path = subpath(d.path, 0, $3)),
       located as (
         select u.id as unit_id, s.id as shelter_id from shelters s join registry_divisions d on d.id = s.division_id
         join u on nlevel(d.path) >= $3 and u.path = subpath(d.path, 0, $3) where s.open),
       assigned as (
         select distinct o.unit_id, x.shelter_id from obj o join risk_object_shelters x on x.risk_object_id = o.id
         join shelters s on s.id = x.shelter_id where s.open),
       usable as (select unit_id, shelter_id from located union select unit_id, shelter_id from assigned)
       select u.code, u.name, ${FIGURES}
       from u
       left join (select unit_id, count(*) as objects, sum(threatened_people) as people from obj group by unit_id) t on t.unit_id = u.id
       left join (select unit_id, sum(s.capacity) as cap from located join shelters s on s.id = shelter_id group by unit_id) l on l.unit_id = u.id
       left join (select unit_id, sum(s.capacity) as cap from assigned join shelters s on s.id = shelter_id group by unit_id) a on a.unit_id = u.id
       left join (select unit_id, sum(s.capacity) as cap from usable join shelters s on s.id = shelter_id group by unit_id) x on x.unit_id = u.id
       order by u.code`,
      [level, withinPath, depth],
    );
  }

  /** The same figures for everything under `withinPath` at once, each object and shelter counted once. */
  async totals(withinPath: string): Promise<CapacityFigures> {
    const [row]: CapacityFigures[] = await this.ds.query(
      `with obj as (
         select r.id, r.threatened_people from risk_objects r join registry_divisions d on d.id = r.division_id where d.path <@ $1::ltree),
       located as (select s.id as shelter_id from shelters s join registry_divisions d on d.id = s.division_id where s.open and d.path <@ $1::ltree),
       assigned as (
         select distinct x.shelter_id from obj o join risk_object_shelters x on x.risk_object_id = o.id join shelters s on s.id = x.shelter_id where s.open),
       usable as (select shelter_id from located union select shelter_id from assigned)
       select ${FIGURES}
       from (select count(*) as objects, sum(threatened_people) as people from obj) t
       cross join (select sum(s.capacity) as cap from located join shelters s on s.id = shelter_id) l
       cross join (select sum(s.capacity) as cap from assigned join shelters s on s.id = shelter_id) a
       cross join (select sum(s.capacity) as cap from usable join shelters s on s.id = shelter_id) x`,
      [withinPath],
    );
    return row;
  }
}
