import { capInvalid } from './cap.errors';
import type { CapCircle, LatLon } from './cap.types';

/** Vertices per polygon beyond which a CAP area is refused (the body limit bounds it anyway). */
export const MAX_POLYGON_POINTS = 20_000;

function point(pair: string, field: string): LatLon {
  const parts = pair.split(',');
  if (parts.length !== 2) throw capInvalid(field, `"${pair.slice(0, 40)}" is not a "lat,lon" pair`);
  const [lat, lon] = parts.map((p) => Number(p));
  if (!parts.every((p) => /^\s*[-+]?\d+(\.\d+)?\s*$/.test(p))) throw capInvalid(field, `"${pair.slice(0, 40)}" is not numeric`);
  if (lat < -90 || lat > 90) throw capInvalid(field, `latitude ${lat} outside -90..90 (CAP writes lat,lon)`);
  if (lon < -180 || lon > 180) throw capInvalid(field, `longitude ${lon} outside -180..180`);
  return [lat, lon];
}

/** CAP polygon "lat,lon lat,lon …": at least four pairs, first equal to last. */
export function parseCapPolygon(text: string, field: string): LatLon[] {
  const pairs = text.trim().split(/\s+/).filter(Boolean);
  if (pairs.length > MAX_POLYGON_POINTS) throw capInvalid(field, `more than ${MAX_POLYGON_POINTS} points`);
  const pts = pairs.map((p) => point(p, field));
  if (pts.length < 4) throw capInvalid(field, 'a polygon needs at least 4 "lat,lon" pairs');
  const [a, z] = [pts[0], pts[pts.length - 1]];
  if (a[0] !== z[0] || a[1] !== z[1]) throw capInvalid(field, 'polygon is not closed (first pair must equal the last)');
  return pts;
}

/** CAP circle "lat,lon radius": radius in kilometres. */
export function parseCapCircle(text: string, field: string): CapCircle {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2) throw capInvalid(field, 'a circle is "lat,lon radius-km"');
  const [lat, lon] = point(parts[0], field);
  const radiusKm = Number(parts[1]);
  if (!/^\d+(\.\d+)?$/.test(parts[1]) || radiusKm > 20_000) throw capInvalid(field, 'radius must be kilometres between 0 and 20000');
  return { lat, lon, radiusKm };
}

export function formatCapPolygon(pts: LatLon[]): string {
  return pts.map(([lat, lon]) => `${lat},${lon}`).join(' ');
}

export function formatCapCircle(c: CapCircle): string {
  return `${c.lat},${c.lon} ${c.radiusKm}`;
}

/** WKT for PostGIS: x is longitude, so the CAP pairs are swapped here and only here. */
export function polygonWkt(pts: LatLon[]): string {
  return `POLYGON((${pts.map(([lat, lon]) => `${lon} ${lat}`).join(',')}))`;
}
