/**
 * The one structural GeoJSON geometry check (RFC 7946), shared by geo's import checker and the
 * registry's division boundaries (which cannot import geo): it lives here, beside the spatial
 * column helpers, because both libraries build on this one.
 */
type Position = number[];
interface GeoJsonGeometry {
  type: string;
  coordinates: unknown;
}

const TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

/** Structural checks PostGIS would either reject with a vague message or silently accept. */
export interface StructureResult {
  problem?: string;
  vertices: number;
}

function position(p: unknown, where: string): string | undefined {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return `${where}: a position is [longitude, latitude] in numbers`;
  }
  const [lon, lat] = p as Position;
  if (lon < -180 || lon > 180) return `${where}: longitude ${lon} is outside -180..180`;
  if (lat < -90 || lat > 90) return `${where}: latitude ${lat} is outside -90..90 (are longitude and latitude swapped?)`;
  return undefined;
}

function line(l: unknown, where: string, min: number): { problem?: string; n: number } {
  if (!Array.isArray(l)) return { problem: `${where}: must be an array of positions`, n: 0 };
  if (l.length < min) return { problem: `${where}: needs at least ${min} positions`, n: l.length };
  for (let i = 0; i < l.length; i++) {
    const p = position(l[i], `${where}[${i}]`);
    if (p) return { problem: p, n: l.length };
  }
  return { n: l.length };
}

function ring(r: unknown, where: string): { problem?: string; n: number } {
  const res = line(r, where, 4);
  if (res.problem) return res;
  const pts = r as Position[];
  const [a, b] = [pts[0], pts[pts.length - 1]];
  if (a[0] !== b[0] || a[1] !== b[1]) return { problem: `${where}: ring is not closed (first and last positions differ)`, n: res.n };
  return res;
}

function polygon(rings: unknown, where: string): { problem?: string; n: number } {
  if (!Array.isArray(rings) || rings.length === 0) return { problem: `${where}: a polygon needs at least one ring`, n: 0 };
  let n = 0;
  for (let i = 0; i < rings.length; i++) {
    const r = ring(rings[i], `${where}[${i}]`);
    n += r.n;
    if (r.problem) return { problem: r.problem, n };
  }
  return { n };
}

function many(
  items: unknown,
  where: string,
  each: (x: unknown, w: string) => { problem?: string; n: number },
): { problem?: string; n: number } {
  if (!Array.isArray(items) || items.length === 0) return { problem: `${where}: must be a non-empty array`, n: 0 };
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    const r = each(items[i], `${where}[${i}]`);
    n += r.n;
    if (r.problem) return { problem: r.problem, n };
  }
  return { n };
}

/**
 * Checks a geometry's shape before it goes near the database: known type, numeric positions
 * in range, enough positions, closed rings. Counts vertices for the size limits.
 */
export function checkStructure(g: unknown): StructureResult {
  if (!g || typeof g !== 'object') return { problem: 'geometry is missing', vertices: 0 };
  const { type, coordinates } = g as GeoJsonGeometry;
  if (!TYPES.has(type)) return { problem: `geometry type "${String(type)}" is not supported`, vertices: 0 };
  const where = 'coordinates';
  let r: { problem?: string; n: number };
  switch (type) {
    case 'Point':
      r = { problem: position(coordinates, where), n: 1 };
      break;
    case 'MultiPoint':
      r = many(coordinates, where, (p, w) => ({ problem: position(p, w), n: 1 }));
      break;
    case 'LineString':
      r = line(coordinates, where, 2);
      break;
    case 'MultiLineString':
      r = many(coordinates, where, (l, w) => line(l, w, 2));
      break;
    case 'Polygon':
      r = polygon(coordinates, where);
      break;
    default:
      r = many(coordinates, where, polygon);
  }
  return { problem: r.problem, vertices: r.n };
}
