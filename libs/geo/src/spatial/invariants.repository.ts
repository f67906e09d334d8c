import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RiskType } from '../risk-objects/risk-object.types';

export interface InvariantObjectRow {
  code: string;
  name: string;
  type: RiskType;
  divisionCode: string;
  threatenedPeople: number;
  primaryHolderId: string | null;
  backupHolderId: string | null;
  hasIndicators: boolean;
  hasShelter: boolean;
}

export interface InvariantShelterRow {
  code: string;
  name: string;
  divisionCode: string;
  managerHolderId: string | null;
}

/**
 * What the registry-invariants report checks, for every risk object and shelter in scope.
 * Holder activity is read through HolderService, so these rows carry holder ids only.
 * Joins `registry_divisions` (registry's exported view) for path and code only.
 */
@Injectable()
export class InvariantsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async objects(withinPath: string): Promise<InvariantObjectRow[]> {
    return this.ds.query(
      `select r.code, r.name, r.type, d.code as "divisionCode", r.threatened_people as "threatenedPeople",
              r.primary_holder_id as "primaryHolderId", r.backup_holder_id as "backupHolderId",
              exists (select 1 from risk_object_indicators i where i.risk_object_id = r.id) as "hasIndicators",
              exists (select 1 from risk_object_shelters x where x.risk_object_id = r.id) as "hasShelter"
       from risk_objects r join registry_divisions d on d.id = r.division_id where d.path <@ $1::ltree order by r.code`,
      [withinPath],
    );
  }

  async shelters(withinPath: string): Promise<InvariantShelterRow[]> {
    return this.ds.query(
      `select s.code, s.name, d.code as "divisionCode", s.manager_holder_id as "managerHolderId"
       from shelters s join registry_divisions d on d.id = s.division_id where d.path <@ $1::ltree order by s.code`,
      [withinPath],
    );
  }
}
