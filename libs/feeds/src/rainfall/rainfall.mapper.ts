import type { ArealRainfallDto, StationSumsDto } from './rainfall.dto';
import type { StationSumsRow, StationTotalRow } from './rainfall.repository';

/** Sums arrive in float8; a tenth of a millimetre is what gauges resolve, keep a bit more. */
const mm3 = (v: number) => Math.round(Number(v) * 1000) / 1000;

export function toStationSumsDto(r: StationSumsRow, windowsHours: number[]): StationSumsDto {
  return {
    stationId: r.stationId,
    code: r.code,
    name: r.name,
    divisionCode: r.divisionCode,
    ...(r.distanceKm !== undefined ? { distanceKm: Math.round(r.distanceKm * 1000) / 1000 } : {}),
    windows: windowsHours.map((hours, i) => ({ hours, mm: mm3(r.mm[i]), readings: r.readings[i], suspect: r.suspect[i] })),
  };
}

/**
 * Arithmetic mean: stations inside the area that reported. Thiessen: every reporting station
 * whose cell reaches the area, weighted by the share of the area it covers (weights are
 * renormalised so float dust in the clipping cannot leak into the total).
 */
export function toArealDto(
  res: { areaKm2: number; stations: StationTotalRow[] },
  period: { from: Date; to: Date },
  excludeSuspect: boolean,
): Omit<ArealRainfallDto, 'divisionCode' | 'divisionName'> {
  const inside = res.stations.filter((s) => s.inside);
  const weighted = res.stations.filter((s) => (s.weight ?? 0) > 0);
  const wsum = weighted.reduce((a, s) => a + (s.weight ?? 0), 0);
  const top = inside.reduce<StationTotalRow | undefined>((best, s) => (!best || s.mm > best.mm ? s : best), undefined);
  return {
    areaKm2: Math.round(res.areaKm2 * 1000) / 1000,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    excludeSuspect,
    arithmeticMean: {
      method: 'arithmetic_mean',
      mm: inside.length ? mm3(inside.reduce((a, s) => a + s.mm, 0) / inside.length) : null,
      stations: inside.length,
    },
    thiessen: {
      method: 'thiessen',
      mm: wsum > 0 ? mm3(weighted.reduce((a, s) => a + s.mm * (s.weight ?? 0), 0) / wsum) : null,
      stations: weighted.length,
    },
    max: top ? { stationCode: top.code, stationName: top.name, mm: mm3(top.mm) } : null,
    stations: res.stations.map((s) => ({
      code: s.code,
      name: s.name,
      mm: mm3(s.mm),
      inside: s.inside,
      weight: wsum > 0 ? Math.round(((s.weight ?? 0) / wsum) * 1e6) / 1e6 : 0,
    })),
  };
}
