-- Synthetic geo set for bench/geo/spatial.ts, inside the seeded Linhai registry, deterministic:
-- 81 flash-flood zones and 149 geological-hazard zones (Linhai's 2025 counts), 283 shelters of
-- about 10,700 places (19 town centres, 264 village points), two assigned shelters per zone,
-- 准备转移/立即转移 indicators for the flash-flood zones. Holders come from the registry.

with v as (
  select d.id, d.boundary, row_number() over (order by md5(d.code)) as n, count(*) over () as total
  from divisions d where d.level = 'village' and d.boundary is not null
), z as (
  select i, v.id as village_id, v.boundary,
         -- ST_GeneratePoints answers null for some island villages: fall back to a point on the surface.
         (st_dump(coalesce(st_generatepoints(v.boundary, 1, i), st_pointonsurface(v.boundary)))).geom as c,
         100 + (i * 37) % 400 as radius_m
  from generate_series(1, 230) i join v on v.n = (i * 7) % v.total + 1
)
insert into risk_objects (code, name, type, division_id, geom, threatened_households, threatened_people, primary_holder_id, backup_holder_id)
select case when i <= 81 then format('LH-SH-%s', lpad(i::text, 3, '0')) else format('LH-DZ-%s', lpad((i - 81)::text, 3, '0')) end,
       case when i <= 81 then format('山洪危险区%s', i) else format('地灾风险防范区%s', i - 81) end,
       case when i <= 81 then 'flash_flood_zone' else 'geo_hazard_zone' end::risk_type,
       village_id,
       st_makevalid(st_collectionextract(st_intersection(st_buffer(c::geography, radius_m, 'quad_segs=16')::geometry, boundary), 3)),
       (20 + (i * 53) % 280) / 3, 20 + (i * 53) % 280,
       (select h.id from responsibility_holders h where h.division_id = village_id and h.role = 'village_head' order by h.id limit 1),
       (select h.id from responsibility_holders h where h.division_id = village_id and h.role = 'village_cadre' order by h.id limit 1)
from z;

insert into shelters (code, name, tier, division_id, location, capacity, occupancy, open, manager_holder_id)
select format('SH-T%s', lpad(row_number() over (order by t.code)::text, 2, '0')), t.name || '避灾安置中心', 'town', t.id,
       (st_dump(coalesce(st_generatepoints(t.boundary, 1, 1000 + row_number() over (order by t.code)::int), st_pointonsurface(t.boundary)))).geom,
       150 + (row_number() over (order by t.code)::int * 29) % 100, 0, true,
       (select h.id from responsibility_holders h where h.division_id = t.id and h.role = 'town_liaison' order by h.id limit 1)
from divisions t where t.level = 'town' and t.boundary is not null;

with v as (
  select d.id, d.code, d.name, d.boundary, row_number() over (order by md5('shelter' || d.code)) as n
  from divisions d where d.level = 'village' and d.boundary is not null
)
insert into shelters (code, name, tier, division_id, location, capacity, occupancy, open, manager_holder_id)
select format('SH-V%s', lpad(n::text, 3, '0')), v.name || '避灾安置点', 'village', v.id,
       (st_dump(coalesce(st_generatepoints(v.boundary, 1, 2000 + n::int), st_pointonsurface(v.boundary)))).geom,
       16 + (n::int * 13) % 21,
       case when n % 41 = 0 then 16 + (n::int * 13) % 21 else 0 end,
       n % 37 <> 0,
       (select h.id from responsibility_holders h join divisions g on g.id = h.division_id
        where g.parent_id = v.id and h.role = 'shelter_manager' order by h.id limit 1)
from v where n <= 264;

insert into risk_object_shelters (risk_object_id, shelter_id, preference)
select r.id, s.id, s.pref
from risk_objects r join divisions d on d.id = r.division_id
cross join lateral (
  select s.id, row_number() over (order by s.location <-> st_pointonsurface(r.geom)) as pref
  from shelters s join divisions sd on sd.id = s.division_id
  where s.open and subpath(sd.path, 0, 2) = subpath(d.path, 0, 2)
  order by s.location <-> st_pointonsurface(r.geom) limit 2) s;

insert into risk_object_indicators (risk_object_id, window_hours, prepare_mm, immediate_mm)
select r.id, w.h, w.p, w.i from risk_objects r
cross join (values (1, 35, 50), (3, 55, 80), (6, 70, 100), (24, 100, 150)) as w(h, p, i)
where r.type = 'flash_flood_zone';

analyze risk_objects;
analyze risk_object_parts;
analyze shelters;
analyze risk_object_shelters;
analyze division_boundary_parts;
