/**
 * KNN in PostGIS orders by distance in degrees, and a degree of longitude is shorter than one
 * of latitude (0.88 of it at Linhai's 28.8°N), so the n nearest by degrees are not always the
 * n nearest on the ground. We fetch more candidates by degrees, re-rank them by geodesic
 * metres, and accept the result only when no shelter left out could be nearer: every shelter
 * beyond the last candidate is at least `lastDegrees` away in degrees, which on the ground is
 * at least lastDegrees × (metres per degree of longitude at the highest latitude it could lie at).
 */

/** Metres per degree of longitude at the equator (WGS 84 semi-major axis × π/180). */
const EQUATOR_M_PER_DEG = (6378137 * Math.PI) / 180;
/** Metres per degree of latitude, smallest value (at the equator): 110.574 km. */
const MERIDIAN_M_PER_DEG_MIN = 110574;
/** Sphere-vs-spheroid and rounding slack. */
const SAFETY = 0.99;

/** The least ground distance (m) of any point at least `degrees` away (planar, in degrees) from an origin near `maxAbsLat`. */
export function groundLowerBoundM(degrees: number, maxAbsLat: number, reachM: number): number {
  // The nearer shelter we might have missed lies within reachM of the origin, so within this latitude.
  const lat = Math.min(89.9, maxAbsLat + reachM / MERIDIAN_M_PER_DEG_MIN);
  const perDegree = Math.min(MERIDIAN_M_PER_DEG_MIN, EQUATOR_M_PER_DEG * Math.cos((lat * Math.PI) / 180));
  return SAFETY * degrees * perDegree;
}

/**
 * Whether the top `limit` of candidates re-ranked by metres is final. `candidates` are the
 * first `fetched` by degrees (sorted by metres); fewer than asked means none were left out.
 */
export function knnIsExact(
  candidates: Array<{ distanceM: number; degrees: number }>,
  asked: number,
  limit: number,
  maxAbsLat: number,
): boolean {
  if (candidates.length < asked) return true;
  const lastDegrees = Math.max(...candidates.map((c) => c.degrees));
  const nth = candidates[Math.min(limit, candidates.length) - 1].distanceM;
  return nth <= groundLowerBoundM(lastDegrees, maxAbsLat, nth);
}
