-- Nearest open shelters with free places to one risk object, as one statement: what
-- NearestSheltersService does for a risk object (KNN by degrees, re-ranked by geodesic metres).
-- $1 risk object code, $2 shelters wanted, $3 least free places, $4 KNN candidates.
with o as (select id, geom as g from risk_objects where code = $1),
knn as (
  select s.id, s.code, s.name, s.tier, s.division_id, s.capacity, s.occupancy, s.reserved, s.location,
         s.location <-> (select g from o) as degrees
  from shelters s
  where s.open and s.capacity - s.occupancy - s.reserved >= $3
  order by s.location <-> (select g from o)
  limit $4)
select k.code, k.name, k.tier, d.code as "divisionCode", k.capacity - k.occupancy - k.reserved as free,
       st_distance(k.location::geography, o.g::geography) as "distanceM", x.preference
from knn k join divisions d on d.id = k.division_id cross join o
left join risk_object_shelters x on x.risk_object_id = o.id and x.shelter_id = k.id
order by "distanceM", k.code
limit $2
