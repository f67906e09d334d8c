import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RiskType } from '../risk-objects/risk-object.types';
import { areaSql } from './area-sql';
import type { AreaQuery, AreaRelation } from './spatial.types';

/** How a grid was tied to an object: it lies in the grid, the village's grids have no boundary, it is filed there, or no grid held it. */
export type GridLink = 'inside' | 'unbounded' | 'filed' | 'village';

export interface TouchedObjectRow {
  code: string;
  name: string;
  type: RiskType;
  relation: AreaRelation;
  divisionCode: string;
  primaryHolderId: string | null;
  backupHolderId: string | null;
  village: { id: string; code: string; name: string } | null;
  town: { id: string; code: string; name: string } | null;
  grids: Array<{ id: string; code: string; name: string; link: GridLink }>;
}

/**
 * The risk objects an area touches, with the divisions whose holders answer for each.
 *
 * Performance exception to "registry tables through registry services": the object → grid test
 * joins risk_object_parts with division_boundary_parts (both GiST-indexed, ≤ 256-vertex pieces)
 * and reads grid boundaries for the final interior test. Through a registry method it would
 * ship every touched object's geometry out of the database and back in; here it is one
 * indexed join inside the statement that found the objects. Holders are still read through
 * HolderService.
 */
@Injectable()
export class WhoMustAnswerRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async touchedObjects(area: AreaQuery, withinPath: string): Promise<TouchedObjectRow[]> {
    const q = areaSql(area);
    const scope = `$${q.params.length + 1}::ltree`;
    return this.ds.query(
      `with a as (${q.area}), hit as (${q.hits}),
       obj as (
         select r.id, r.code, r.name, r.type, r.geom, r.primary_holder_id, r.backup_holder_id, ${q.relation} as relation,
                d.id as division_id, d.code as division_code, d.level, v.id as village_id, v.code as village_code, v.name as village_name,
                t.id as town_id, t.code as town_code, t.name as town_name
         from hit join risk_objects r on r.id = hit.id join divisions d on d.id = r.division_id cross join a
         left join divisions t on nlevel(d.path) >= 2 and t.path = subpath(d.path, 0, 2)
         left join divisions v on nlevel(d.path) >= 3 and v.path = subpath(d.path, 0, 3)
         where d.path <@ ${scope}),
       near as (
         select distinct rp.risk_object_id as object_id, gp.division_id as grid_id
         from obj o join risk_object_parts rp on rp.risk_object_id = o.id
         join division_boundary_parts gp on gp.level = 'grid' and st_intersects(gp.geom, rp.geom)),
       found as (
         -- interiors meet: an object only touching a grid's edge does not lie in it
         select n.object_id, n.grid_id, 'inside' as link from near n join obj o on o.id = n.object_id
           join divisions g on g.id = n.grid_id where g.path <@ ${scope} and st_relate(o.geom, g.boundary, 'T********')
         union
         select o.id, g.id, 'unbounded' from obj o join divisions g on g.parent_id = o.village_id
           where g.level = 'grid' and g.boundary is null and g.path <@ ${scope}
         union
         select o.id, o.division_id, 'filed' from obj o where o.level = 'grid'),
       grids as materialized (
         select * from found
         union all
         select o.id, g.id, 'village' from obj o join divisions g on g.parent_id = o.village_id
           where g.level = 'grid' and g.path <@ ${scope} and not exists (select 1 from found f where f.object_id = o.id))
       select o.code, o.name, o.type, o.relation, o.division_code as "divisionCode",
              o.primary_holder_id as "primaryHolderId", o.backup_holder_id as "backupHolderId",
              case when o.village_id is not null then json_build_object('id', o.village_id, 'code', o.village_code, 'name', o.village_name) end as village,
              case when o.town_id is not null then json_build_object('id', o.town_id, 'code', o.town_code, 'name', o.town_name) end as town,
              coalesce(gr.grids, '[]'::json) as grids
       from obj o left join (
         select x.object_id, json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'link', x.link) order by g.code) as grids
         from grids x join divisions g on g.id = x.grid_id group by x.object_id) gr on gr.object_id = o.id
       order by o.code`,
      [...q.params, withinPath],
    );
  }
}
