import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Search from a risk object (its own geometry) or from a point (GeoJSON text). */
export type NearOrigin = { riskObjectCode: string } | { point: string };

/** One candidate shelter, or (code null) only the origin when no shelter qualifies. */
export interface NearShelterRow {
  originPath: string | null;
  maxAbsLat: number;
  code: string | null;
  name: string;
  tier: 'city' | 'town' | 'village';
  divisionCode: string;
  divisionName: string;
  capacity: number;
  occupancy: number;
  reserved: number;
  free: number;
  lon: number;
  lat: number;
  distanceM: number;
  degrees: number;
  preference: number | null;
}

const ORIGIN = {
  object: `select r.id, r.geom as g, d.path::text as path from risk_objects r join registry_divisions d on d.id = r.division_id where r.code = $1`,
  point: `select null::uuid as id, st_setsrid(st_geomfromgeojson($1::text), 4326) as g, null::text as path`,
};

/**
 * KNN search for open shelters with free places. The index scan orders by `<->` (degrees,
 * GiST on shelters.location; the origin is an InitPlan parameter) and stops after `fetch` rows
 * that pass the filters; the outer query re-ranks those by geodesic metres. One statement also
 * finds the origin (no row at all: no such risk object). A town's scope is an InitPlan list of
 * division ids (a town has a few dozen shelters: any plan is fast); the city needs no filter,
 * which would otherwise compete with the KNN index.
 */
@Injectable()
export class ShelterSearchRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async nearest(origin: NearOrigin, withinPath: string | null, minFree: number, fetch: number): Promise<NearShelterRow[]> {
    const scope = withinPath === null ? '' : 'and s.division_id = any(array(select id from registry_divisions where path <@ $4::ltree))';
    return this.ds.query(
      `with o as (${'riskObjectCode' in origin ? ORIGIN.object : ORIGIN.point}),
       knn as (
         select s.id, s.code, s.name, s.tier, s.division_id, s.capacity, s.occupancy, s.reserved, s.location,
                s.location <-> (select g from o) as degrees
         from shelters s
         where s.open and s.capacity - s.occupancy - s.reserved >= $2 ${scope}
         order by s.location <-> (select g from o)
         limit $3)
       select o.path as "originPath", greatest(abs(st_ymin(o.g)), abs(st_ymax(o.g))) as "maxAbsLat",
              k.code, k.name, k.tier, d.code as "divisionCode", d.name as "divisionName", k.capacity, k.occupancy, k.reserved,
              k.capacity - k.occupancy - k.reserved as free, st_x(k.location) as lon, st_y(k.location) as lat,
              st_distance(k.location::geography, o.g::geography) as "distanceM", k.degrees, x.preference
       from o left join knn k on true left join registry_divisions d on d.id = k.division_id
       left join risk_object_shelters x on x.risk_object_id = o.id and x.shelter_id = k.id
       order by "distanceM" nulls last, k.code`,
      ['riskObjectCode' in origin ? origin.riskObjectCode : origin.point, minFree, fetch, ...(withinPath === null ? [] : [withinPath])],
    );
  }
}
