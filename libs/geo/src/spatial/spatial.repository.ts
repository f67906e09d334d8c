import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RiskStatus, RiskType } from '../risk-objects/risk-object.types';
import { areaSql } from './area-sql';
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
 * queries are the spatial half of geo) and joins `divisions` only for path and code, to scope
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
       from hit join risk_objects r on r.id = hit.id join divisions d on d.id = r.division_id cross join a
       where d.path <@ $${q.params.length + 1}::ltree ${typeFilter}
       order by "distanceM", r.code`,
      params,
    );
  }
}
