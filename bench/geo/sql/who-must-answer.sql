-- "Who must answer" for a polygon as ONE statement: the same rules as WhoMustAnswerService
-- (objects through risk_object_parts, grids through division_boundary_parts, towns and villages
-- sharing ground with the area, the whole 包保 chain, one row per person with every reason),
-- without the reason texts. $1: the area as GeoJSON.
with recursive
a as (select st_setsrid(st_geomfromgeojson($1::text), 4326) as g),
hit as (select distinct p.risk_object_id as id from risk_object_parts p, a where st_intersects(p.geom, a.g)),
obj as materialized (
  select r.id, r.code, r.geom, r.primary_holder_id, r.backup_holder_id, d.id as division_id, d.level,
         v.id as village_id, t.id as town_id
  from hit join risk_objects r on r.id = hit.id join divisions d on d.id = r.division_id
  left join divisions t on nlevel(d.path) >= 2 and t.path = subpath(d.path, 0, 2)
  left join divisions v on nlevel(d.path) >= 3 and v.path = subpath(d.path, 0, 3)),
near as (
  select distinct rp.risk_object_id as object_id, gp.division_id as grid_id
  from obj o join risk_object_parts rp on rp.risk_object_id = o.id
  join division_boundary_parts gp on gp.level = 'grid' and st_intersects(gp.geom, rp.geom)),
found as materialized (
  select n.object_id, n.grid_id from near n join obj o on o.id = n.object_id join divisions g on g.id = n.grid_id
  where st_relate(o.geom, g.boundary, 'T********')
  union
  select o.id, g.id from obj o join divisions g on g.parent_id = o.village_id where g.level = 'grid' and g.boundary is null
  union
  select o.id, o.division_id from obj o where o.level = 'grid'),
grids as materialized (
  select * from found
  union all
  select o.id, g.id from obj o join divisions g on g.parent_id = o.village_id
  where g.level = 'grid' and not exists (select 1 from found f where f.object_id = o.id)),
touched as materialized (
  select d.id from (
    select distinct bp.division_id from division_boundary_parts bp, a
    where bp.level in ('town', 'village') and st_intersects(bp.geom, a.g)) x
  join divisions d on d.id = x.division_id cross join a
  where area_relation(d.boundary, a.g) <> 'touching'),
admin as (select id from touched union select village_id from obj where village_id is not null union select town_id from obj where town_id is not null),
seed_reason(holder_id, kind, object_code, division_code, sub_id) as materialized (
  select primary_holder_id, 'primary_holder', code, null::text, null::uuid from obj where primary_holder_id is not null
  union
  select backup_holder_id, 'backup_holder', code, null, null from obj where backup_holder_id is not null
  union
  select h.id, 'grid_holder', o.code, g.code, null from grids x join obj o on o.id = x.object_id
    join divisions g on g.id = x.grid_id join responsibility_holders h on h.division_id = g.id
  union
  select h.id, case d.level when 'town' then 'town_holder' else 'village_holder' end, null, d.code, null
  from admin ad join divisions d on d.id = ad.id join responsibility_holders h on h.division_id = d.id),
closure(id) as (
  select distinct holder_id from seed_reason
  union
  select h.superior_id from closure c join responsibility_holders h on h.id = c.id where h.superior_id is not null),
reason as (
  select * from seed_reason
  union all
  select h.superior_id, 'superior', null, null, h.id from closure c join responsibility_holders h on h.id = c.id
  where h.superior_id is not null)
select h.id, h.name, h.role, h.active, d.level, d.code as "divisionCode", h.mobile,
       json_agg(json_build_object('kind', r.kind, 'riskObjectCode', r.object_code, 'divisionCode', r.division_code, 'holderId', r.sub_id)) as reasons
from closure c join responsibility_holders h on h.id = c.id join divisions d on d.id = h.division_id
join reason r on r.holder_id = h.id
group by h.id, d.level, d.code
order by d.level, h.role, h.name, h.id
