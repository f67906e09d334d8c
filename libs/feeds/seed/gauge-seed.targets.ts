/** The Linhai gauge network the demo seed builds: round figures for a county of ~2,200 km². */
export const CITY_CODE = '331082';
export const RAIN_STATIONS = 120;
export const WATER_LEVEL_STATIONS = 20;
export const RESERVOIR_LEVEL_STATIONS = 15;

/** A guard station is drawn within this many metres of its zone, well inside the 5 km the thresholds look. */
export const GUARD_RADIUS_M = 2500;
/** A zone already has a station this close (planar UTM metres; margin for the geography check at 5 km). */
export const COVERED_M = 4500;
/** Points are drawn this far inside boundaries, so the round trip through UTM never lands on an edge. */
export const INSET_M = 30;

export const CODE_PREFIX: Record<'rain' | 'water_level' | 'reservoir_level', string> = {
  rain: 'R',
  // ZZ / RR are the hydrological station-type codes for river and reservoir stages.
  water_level: 'Z',
  reservoir_level: 'K',
};
export const NAME_SUFFIX: Record<'rain' | 'water_level' | 'reservoir_level', string> = {
  rain: '雨量站',
  water_level: '水位站',
  reservoir_level: '水库水位站',
};
