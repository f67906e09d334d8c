/**
 * The Linhai figures the geo seed reproduces. Exact ones come from the Linhai emergency-
 * management bureau's mid-2025 summary (domain.md, opening paragraph); the others (reservoirs,
 * seawalls, houses, sites, other low-lying points) are our own plausible round numbers.
 */
export const GEO_TARGETS = {
  counts: {
    geoHazardZones: 149,
    flashFloodZones: 81,
    reservoirs: 60,
    seawalls: 20,
    /** 大田平原 "1618" rescue plan: 14 controlled roads and 23 control points. */
    datianRoads: 14,
    datianPoints: 23,
    otherLowLying: 25,
    dilapidatedHouses: 120,
    constructionSites: 40,
    fishingBoats: 782,
    offshoreProjects: 4,
  },
  shelters: { city: 4, town: 19, village: 260, capacity: 10_700 },
  teams: { city: { count: 58, members: 1130 }, town: { count: 19, members: 1368 } },
  stock: { boats: 170, satellitePhones: 793, lighting: 21_600 },
  /** Share of boats in port at the seeded report time (a summer morning in the closed season, 休渔期). */
  boatsInPortShare: 0.85,
  /** The seeded position report of every boat: fixed, so re-seeding never moves a boat. */
  boatsReportedAt: '2025-07-01T06:00:00+08:00',
} as const;

export const CITY_CODE = '331082';
/** 大田街道: the 大田平原 of the 1618 plan. */
export const DATIAN_CODE = '331082004';

/**
 * Rough character of each town/street, which decides where each risk list is dense: the western
 * and northern mountains (flash floods, landslides, reservoirs), the 街道 around the old city,
 * the river plain, and the coast (seawalls, fishing ports). Our reading of the map, not data.
 */
export type TownClass = 'urban' | 'mountain' | 'plain' | 'coastal';
export const TOWN_CLASS: Record<string, TownClass> = {
  '331082001': 'urban', // 古城街道
  '331082002': 'urban', // 大洋街道
  '331082003': 'urban', // 江南街道
  '331082004': 'urban', // 大田街道
  '331082005': 'urban', // 邵家渡街道
  '331082100': 'plain', // 汛桥镇
  '331082101': 'mountain', // 东塍镇
  '331082103': 'mountain', // 汇溪镇
  '331082104': 'mountain', // 小芝镇
  '331082105': 'mountain', // 河头镇
  '331082106': 'mountain', // 白水洋镇
  '331082107': 'mountain', // 括苍镇
  '331082108': 'mountain', // 永丰镇
  '331082109': 'mountain', // 尤溪镇
  '331082110': 'mountain', // 涌泉镇
  '331082111': 'plain', // 沿江镇
  '331082112': 'coastal', // 杜桥镇
  '331082113': 'coastal', // 上盘镇
  '331082114': 'coastal', // 桃渚镇
};

/** The coast: the outline east of this longitude faces the sea (三门湾, the East China Sea, 台州湾). */
export const COAST_EAST_OF_LON = 121.5;
/** Open sea east of the coast where boats out fishing are (WGS 84 lon/lat box, minus 2 km off any land of the city). */
export const OPEN_SEA_BOX = [121.72, 28.55, 122.2, 28.95] as const;

export function townClass(townCode: string): TownClass {
  return TOWN_CLASS[townCode] ?? 'plain';
}
