import type { SeedPoint } from './gauge-seed.model';
import { chooseGuards, evenShares, nameStations, pointSeed } from './gauge-seed-plan';

const point = (key: string, x: number, y: number, village = '331082001001', lon = 121): SeedPoint => ({
  key,
  lon,
  lat: 28.8,
  x,
  y,
  villageId: `id-${village}`,
  villageCode: village,
  villageName: '东湖村',
  townCode: village.slice(0, 9),
  townName: '古城街道',
});

describe('gauge seed plan', () => {
  it('guards a cluster of zones with one gauge and a distant zone with its own', () => {
    const zones = [
      { code: 'A', x: 0, y: 0 },
      { code: 'B', x: 3000, y: 0 },
      { code: 'C', x: 20_000, y: 0 },
    ];
    const chosen = chooseGuards(zones, [point('A', 1000, 0), point('B', 3500, 0), point('C', 20_500, 0)]);
    expect(chosen.map((c) => c.key)).toEqual(['A', 'C']);
  });

  it('shares evenly, the remainder to the first towns', () => {
    expect(evenShares(20, 19)).toEqual([2, ...new Array(18).fill(1)]);
    expect(evenShares(15, 19).filter((n) => n > 0)).toHaveLength(15);
  });

  it('numbers per town and kind by village, and names a village’s second gauge 2号', () => {
    const out = nameStations([
      { point: point('x', 0, 0, '331082001002', 121.2), kind: 'rain', owner: 'meteorology' },
      { point: point('x', 0, 0, '331082001001', 121.3), kind: 'rain', owner: 'meteorology' },
      { point: point('x', 0, 0, '331082001001', 121.1), kind: 'rain', owner: 'water_resources' },
      { point: point('x', 0, 0, '331082001001', 121.1), kind: 'reservoir_level', owner: 'water_resources' },
    ]);
    expect(out.map((s) => [s.code, s.name])).toEqual([
      ['K331082001-01', '古城街道东湖村水库水位站'],
      ['R331082001-01', '古城街道东湖村雨量站'],
      ['R331082001-02', '古城街道东湖村2号雨量站'],
      ['R331082001-03', '古城街道东湖村雨量站'],
    ]);
  });

  it('derives stable positive point seeds', () => {
    expect(pointSeed(7, 'a')).toBe(pointSeed(7, 'a'));
    expect(pointSeed(7, 'a')).not.toBe(pointSeed(7, 'b'));
    expect(pointSeed(7, 'a')).toBeGreaterThan(0);
  });
});
