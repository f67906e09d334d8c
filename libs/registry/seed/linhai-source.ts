import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import gcoord from 'gcoord';
import type { MultiPolygon } from '@fangxun/database';

/** The public facts the Linhai seed starts from; data/README.md says where each file comes from. */
export const CITY = { code: '331082', name: '临海市' } as const;

const DATA_DIR = join(__dirname, 'data');

export interface TownSource {
  code: string;
  name: string;
  /** 街道 (331082001–005) or 镇. */
  kind: 'street' | 'town';
  /** Approximate seat (WGS-84 lng, lat) the synthetic boundary grows around. */
  anchor: [number, number];
}

/**
 * Where each town/street roughly lies, WGS-84. No town polygons are public, so the seed grows
 * a Voronoi cell around each of these points inside the real outline. The points are NOT
 * surveyed seats: they were placed by hand from public descriptions (the five 街道 around the
 * old city on the 灵江, 东塍 north towards 三门, 沿江 on the river's south-west bank towards
 * 黄岩/椒江, 白水洋/括苍 in the western mountains, 桃渚/上盘/杜桥 on the eastern plain and coast)
 * and nudged until the cells' areas came near the published town areas (40–250 km²).
 */
const TOWN_ANCHORS: Record<string, [number, number]> = {
  '331082001': [121.11, 28.86], // 古城街道: the old city, north bank
  '331082002': [121.15, 28.855], // 大洋街道: east of the old city
  '331082003': [121.11, 28.81], // 江南街道: across the river
  '331082004': [121.18, 28.9], // 大田街道: the 大田 plain, north-east
  '331082005': [121.03, 28.87], // 邵家渡街道: upstream, west
  '331082100': [121.19, 28.8], // 汛桥镇
  '331082101': [121.23, 28.97], // 东塍镇
  '331082103': [121.09, 28.93], // 汇溪镇
  '331082104': [121.37, 28.93], // 小芝镇
  '331082105': [120.93, 28.86], // 河头镇
  '331082106': [120.93, 28.96], // 白水洋镇
  '331082107': [120.94, 28.775], // 括苍镇
  '331082108': [121.0, 28.81], // 永丰镇
  '331082109': [121.06, 28.74], // 尤溪镇
  '331082110': [121.27, 28.84], // 涌泉镇
  '331082111': [121.27, 28.76], // 沿江镇
  '331082112': [121.41, 28.8], // 杜桥镇
  '331082113': [121.62, 28.73], // 上盘镇 (with the offshore islands)
  '331082114': [121.55, 28.85], // 桃渚镇
};

/** The 19 real towns/streets, in code order (data/linhai-331082-towns-streets.csv). */
export function loadTowns(): TownSource[] {
  const rows: Array<{ code: string; name: string; areaCode: string }> = parse(
    readFileSync(join(DATA_DIR, 'linhai-331082-towns-streets.csv'), 'utf8'),
    { columns: true, skip_empty_lines: true, trim: true },
  );
  const towns = rows
    .filter((r) => r.areaCode === CITY.code)
    .map((r) => {
      const anchor = TOWN_ANCHORS[r.code];
      if (!anchor) throw new Error(`no seed anchor for town ${r.code} ${r.name}`);
      return { code: r.code, name: r.name, kind: r.name.endsWith('街道') ? 'street' : 'town', anchor } as TownSource;
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  if (towns.length !== Object.keys(TOWN_ANCHORS).length) throw new Error(`expected 19 towns of ${CITY.code}, read ${towns.length}`);
  return towns;
}

/**
 * The real outline of 临海市 as WGS-84 GeoJSON. The DataV file (data/README.md, row
 * "linhai-331082-datav-boundary.json") is in GCJ-02, the offset datum of Chinese web maps, a few
 * hundred metres off WGS-84; every vertex is converted with gcoord before PostGIS sees it, since
 * divisions.boundary is EPSG:4326.
 */
export function loadCityOutline(): MultiPolygon {
  const features: Array<{ properties: { adcode: number }; geometry: { type: string; coordinates: number[][][][] } }> = JSON.parse(
    readFileSync(join(DATA_DIR, 'linhai-331082-datav-boundary.json'), 'utf8'),
  );
  const feature = features.find((f) => String(f.properties.adcode) === CITY.code);
  if (!feature || feature.geometry.type !== 'MultiPolygon') throw new Error(`outline of ${CITY.code} missing or not a MultiPolygon`);
  const toWgs84 = ([lng, lat]: number[]): [number, number] => gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return {
    type: 'MultiPolygon',
    coordinates: feature.geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(toWgs84))),
  };
}
