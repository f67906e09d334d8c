import type { SeedPoint, SeedStationKind, SeedZone, StationSeed } from './gauge-seed.model';
import { CODE_PREFIX, COVERED_M, NAME_SUFFIX } from './gauge-seed.targets';

/**
 * Guard stations: zones in code order; a zone with no chosen station within COVERED_M gets
 * its own candidate, which may cover its neighbours too. Greedy, so a cluster of zones
 * shares one gauge and the rain network stays near its target size.
 */
export function chooseGuards(zones: SeedZone[], candidates: SeedPoint[]): SeedPoint[] {
  const byZone = new Map(candidates.map((c) => [c.key, c]));
  const chosen: SeedPoint[] = [];
  for (const z of zones) {
    if (chosen.some((c) => Math.hypot(c.x - z.x, c.y - z.y) <= COVERED_M)) continue;
    const own = byZone.get(z.code);
    if (own) chosen.push(own);
  }
  return chosen;
}

/** `total` shared evenly over `n` parts, the remainder to the first ones. */
export function evenShares(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/** Seed for ST_GeneratePoints per (random seed, key): stable, always in 1..2e9. */
export function pointSeed(randomSeed: number, key: string): number {
  let h = 0x811c9dc5 ^ randomSeed;
  for (const ch of `gauge:${randomSeed}:${key}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return ((h >>> 1) % 2_000_000_000) + 1;
}

/**
 * Codes and names. Per town and kind the points are ordered by village code then position
 * and numbered: R331082001-01, … Names read town + village + kind (古城街道东湖村雨量站);
 * a village's second gauge of a kind is 2号 (古城街道东湖村2号雨量站).
 */
export function nameStations(points: Array<{ point: SeedPoint; kind: SeedStationKind; owner: StationSeed['owner'] }>): StationSeed[] {
  const groups = new Map<string, typeof points>();
  for (const p of points) {
    const key = `${p.kind}/${p.point.townCode}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: StationSeed[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.point.villageCode.localeCompare(b.point.villageCode) || a.point.lon - b.point.lon || a.point.lat - b.point.lat);
    const perVillage = new Map<string, number>();
    group.forEach(({ point, kind, owner }, i) => {
      const k = (perVillage.get(point.villageCode) ?? 0) + 1;
      perVillage.set(point.villageCode, k);
      out.push({
        code: `${CODE_PREFIX[kind]}${point.townCode}-${String(i + 1).padStart(2, '0')}`,
        name: `${point.townName}${point.villageName}${k > 1 ? `${k}号` : ''}${NAME_SUFFIX[kind]}`,
        lon: point.lon,
        lat: point.lat,
        divisionId: point.villageId,
        kind,
        owner,
      });
    });
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}
