import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RiskObjectRef, RiskStatus, RiskType } from '../risk-objects/risk-object.types';
import { areaSql, polygonsSql } from './area-sql';
import type { AreaQuery, AreaRelation } from './spatial.types';

export interface IntersectingObjectRow {
  code: string;
  name: string;
  type: RiskType;
  status: RiskStatus;
  threatenedHouseholds: number;
  threatenedPeople: number;
  divisionCode: string;
  divisionName: string;
  divisionLevel: string;
  townCode: string | null;
  relation: AreaRelation;
  distanceM: number | null;
}

/**
 * Risk objects meeting an area. Reads risk_objects and its parts directly (this folder's
 * queries are the spatial half of geo) and joins `registry_divisions` (registry's exported view) only for path and code, to scope
 * and label each row in the same statement.
 */
@Injectable()
export class SpatialRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async intersectingObjects(area: AreaQuery, withinPath: string, types?: RiskType[]): Promise<IntersectingObjectRow[]> {
    const q = areaSql(area);
    const params = [...q.params, withinPath];
    const typeFilter = types?.length ? `and r.type = any($${params.push(types)}::risk_type[])` : '';
    return this.ds.query(
      `with a as (${q.area}), hit as (${q.hits})
       select r.code, r.name, r.type, r.status, r.threatened_households as "threatenedHouseholds",
              r.threatened_people as "threatenedPeople", d.code as "divisionCode", d.name as "divisionName",
              d.level as "divisionLevel", case when nlevel(d.path) >= 2 then subpath(d.path, 1, 1)::text end as "townCode",
              ${q.relation} as relation, ${q.distance} as "distanceM"
       from hit join risk_objects r on r.id = hit.id join registry_divisions d on d.id = r.division_id cross join a
       where d.path <@ $${q.params.length + 1}::ltree ${typeFilter}
       order by "distanceM", r.code`,
      params,
    );
  }

  /**
   * Risk objects meeting any of `polygons` (GeoJSON text) or lying under any of `divisionCodes`
   * (by division path, not boundary: a geocoded division covers what the registry files under
   * it), limited to `withinPath` when given; each once, in code order. One statement.
   */
  async objectsInAreas(polygons: string[], divisionCodes: string[], withinPath: string | null): Promise<RiskObjectRef[]> {
    const q = polygonsSql(1);
    return this.ds.query(
      `with a as (${q.area}), hit as (${q.hits}),
            named as (select path from registry_divisions where code = any($2::text[]))
       select r.id, r.code, r.name, d.path::text as "divisionPath"
       from risk_objects r join registry_divisions d on d.id = r.division_id
       where ($3::ltree is null or d.path <@ $3::ltree)
         and (r.id in (select id from hit) or exists (select 1 from named n where d.path <@ n.path))
       order by r.code`,
      [polygons, divisionCodes, withinPath],
    );
  }
}
