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
 * joins risk_object_parts with registry_division_parts (registry's exported view of its boundary
 * parts; both GiST-indexed, ≤ 256-vertex pieces) and reads grid boundaries for the final interior test. Through a registry method it would
 * ship every touched object's geometry out of the database and back in; here it is one
 * indexed join inside the statement that found the objects. Holders are still read through
 * HolderService.
 */
@Injectable()
export class WhoMustAnswerRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async touchedObjects(area: AreaQuery, withinPath: string): Promise<TouchedObjectRow[]> {
    const q = areaSql(area);
    const hit = `a as (${q.area}),
       hit as (select h.id, ${q.relation} as relation from (${q.hits}) h join risk_objects r on r.id = h.id cross join a)`;
    return this.ds.query(objectsSql(hit, `$${q.params.length + 1}::ltree`), [...q.params, withinPath]);
  }

  /**
   * The risk objects of a warning's ground, all areas in one statement: objects filed under a
   * named division (its ground is the issuer's word, no geometry test), objects filed above one
   * (a river, a seawall) that run through its boundary, and objects meeting the drawn ground
   * (GeoJSON texts, already valid: no check here). City-wide.
   */
  async groundObjects(paths: string[], geojsons: string[]): Promise<TouchedObjectRow[]> {
    const hit = `named as (select d.path, d.boundary from registry_divisions d where d.path = any($1::ltree[])),
       a as (select st_setsrid(st_geomfromgeojson(g), 4326) as g from unnest($2::text[]) g),
       hit as (
         select distinct on (x.id) x.id, x.relation from (
           select r.id, 'inside'::text as relation, 0 as o
           from risk_objects r join registry_divisions d on d.id = r.division_id where d.path <@ $1::ltree[]
           union all
           select r.id, area_relation(r.geom, n.boundary), 1
           from named n join registry_divisions d on d.path @> n.path and d.path <> n.path join risk_objects r on r.division_id = d.id
           where n.boundary is not null and st_intersects(r.geom, n.boundary)
           union all
           select r.id, area_relation(r.geom, a.g), 2
           from a join risk_object_parts p on st_intersects(p.geom, a.g) join risk_objects r on r.id = p.risk_object_id) x
         order by x.id, x.o)`;
    return this.ds.query(objectsSql(hit, 'null::ltree'), [paths, geojsons]);
  }
}

/**
 * The objects of `hit` (id, relation) with the divisions whose holders answer for each: their
 * village and town, and the grids they lie in. `scope` limits grids and objects to a subtree
 * (null: the whole city).
 */
function objectsSql(hit: string, scope: string): string {
  const inScope = (col: string) => `(${scope} is null or ${col} <@ ${scope})`;
  return `with ${hit},
       obj as (
         select r.id, r.code, r.name, r.type, r.geom, r.primary_holder_id, r.backup_holder_id, hit.relation,
                d.id as division_id, d.code as division_code, d.level, v.id as village_id, v.code as village_code, v.name as village_name,
                t.id as town_id, t.code as town_code, t.name as town_name
         from hit join risk_objects r on r.id = hit.id join registry_divisions d on d.id = r.division_id
         left join registry_divisions t on nlevel(d.path) >= 2 and t.path = subpath(d.path, 0, 2)
         left join registry_divisions v on nlevel(d.path) >= 3 and v.path = subpath(d.path, 0, 3)
         where ${inScope('d.path')}),
       near as (
         select distinct rp.risk_object_id as object_id, gp.division_id as grid_id
         from obj o join risk_object_parts rp on rp.risk_object_id = o.id
         join registry_division_parts gp on gp.level = 'grid' and st_intersects(gp.geom, rp.geom)),
       found as (
         -- interiors meet: an object only touching a grid's edge does not lie in it
         select n.object_id, n.grid_id, 'inside' as link from near n join obj o on o.id = n.object_id
           join registry_divisions g on g.id = n.grid_id where ${inScope('g.path')} and st_relate(o.geom, g.boundary, 'T********')
         union
         select o.id, g.id, 'unbounded' from obj o join registry_divisions g on g.parent_id = o.village_id
           where g.level = 'grid' and g.boundary is null and ${inScope('g.path')}
         union
         select o.id, o.division_id, 'filed' from obj o where o.level = 'grid'),
       grids as materialized (
         select * from found
         union all
         select o.id, g.id, 'village' from obj o join registry_divisions g on g.parent_id = o.village_id
           where g.level = 'grid' and ${inScope('g.path')} and not exists (select 1 from found f where f.object_id = o.id))
       select o.code, o.name, o.type, o.relation, o.division_code as "divisionCode",
              o.primary_holder_id as "primaryHolderId", o.backup_holder_id as "backupHolderId",
              case when o.village_id is not null then json_build_object('id', o.village_id, 'code', o.village_code, 'name', o.village_name) end as village,
              case when o.town_id is not null then json_build_object('id', o.town_id, 'code', o.town_code, 'name', o.town_name) end as town,
              coalesce(gr.grids, '[]'::json) as grids
       from obj o left join (
         select x.object_id, json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'link', x.link) order by g.code) as grids
         from grids x join registry_divisions g on g.id = x.grid_id group by x.object_id) gr on gr.object_id = o.id
       order by o.code`;
}
