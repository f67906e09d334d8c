import type { DivisionLevel, HolderRole } from '@fangxun/registry';

/**
 * What the Linhai seed creates, built in memory from the seed number alone (no clock, no
 * database reads other than the towns' areas), so every run produces the same plan.
 * The holder totals are the Linhai EMB's mid-2025 figures (domain.md §1): 667 town/village
 * administrative holders and 4,682 grid holders; ~305 villages is our own round number.
 */
export const LINHAI_TARGETS = {
  villages: 305,
  minVillagesPerTown: 6,
  gridsPerVillage: { min: 3, max: 5 },
  /** City leaders who each 包 a few towns (包镇); they top the chain and are not counted in 667. */
  cityLeaders: 7,
  /** A town deputy 包村 for at most this many villages. */
  villagesPerDeputy: 8,
  administrativeHolders: 667,
  gridHolders: 4682,
  appointedYear: 2026,
  rosterDays: 7,
  /** Share of a 街道's units that are urban 社区 rather than villages. */
  streetCommunityShare: 0.4,
} as const;

export interface SeedOptions {
  randomSeed: number;
  fakePhonePrefix: string;
  /** First duty day, YYYY-MM-DD; rosters cover LINHAI_TARGETS.rosterDays days from it. */
  rosterFrom: string;
}

/** Children of one parent division: PostGIS scatters `count` seeded points in the parent and cuts it into Voronoi cells. */
export interface PartitionSeed {
  parentCode: string;
  count: number;
  /** ST_GeneratePoints seed (> 0). */
  pointSeed: number;
}

export interface ChildDivisionSeed {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string;
  /** 1-based: the child takes the cell of the parent's ordinal-th point in spatial order. */
  ordinal: number;
}

/** The appointment key of responsibility_holders: (division, role, mobile). */
export interface HolderKey {
  divisionCode: string;
  role: HolderRole;
  mobile: string;
}

export interface HolderSeed extends HolderKey {
  name: string;
  superior: HolderKey | null;
  backup: HolderKey | null;
}

export interface RosterSeed {
  divisionCode: string;
  dutyDate: string;
  leader: HolderKey;
  officers: HolderKey[];
  dutyPhone: string;
  notes: string;
}

export interface LinhaiPlan {
  villagePartitions: PartitionSeed[];
  villages: ChildDivisionSeed[];
  gridPartitions: PartitionSeed[];
  grids: ChildDivisionSeed[];
  /** One list per division level, superiors before subordinates. */
  holders: { city: HolderSeed[]; town: HolderSeed[]; village: HolderSeed[]; grid: HolderSeed[] };
  rosters: RosterSeed[];
}

/** The division tree below the towns, with each parent's children in plan order. */
export interface DivisionPlan {
  villagePartitions: PartitionSeed[];
  villages: ChildDivisionSeed[];
  villagesOf: Map<string, ChildDivisionSeed[]>;
  gridPartitions: PartitionSeed[];
  grids: ChildDivisionSeed[];
  gridsOf: Map<string, ChildDivisionSeed[]>;
}
