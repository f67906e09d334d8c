import type { VulnerableCategory } from '@fangxun/geo';

/** A vulnerable member of a household and the named person who helps him move (帮扶人). */
export interface VulnerableMember {
  name: string;
  category: VulnerableCategory;
  needs: string | null;
  helperName: string;
  helperPhone: string;
  helperHolderId: string | null;
}

/** One household as stored, with every reference resolved to an id (what seed and import write). */
export interface HouseholdWrite {
  code: string;
  riskObjectId: string;
  divisionId: string;
  headName: string;
  headPhone: string;
  members: number;
  responsibleHolderId: string | null;
  shelterId: string | null;
  routeNote: string | null;
  address: string | null;
  vulnerable: VulnerableMember[];
}

export interface HouseholdRow extends HouseholdWrite {
  id: string;
  divisionCode: string;
  divisionName: string;
  divisionPath: string;
  createdAt: Date;
  updatedAt: Date;
}
