import type { AcceptedCrs } from './geojson.types';

/**
 * RFC 7946 dropped the `crs` member (everything is WGS 84, lon/lat), but files exported by
 * Chinese GIS tools still carry one, often CGCS2000 (EPSG:4490). CGCS2000 and WGS 84 differ
 * by a few centimetres, far below the accuracy of a risk-zone outline, so both are accepted
 * as they are. Anything else (GCJ-02 has no EPSG code; projected CRSs like EPSG:4549) is refused.
 */
const ACCEPTED: Array<[RegExp, AcceptedCrs]> = [
  [/^(urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:OGC::CRS84|OGC:CRS84|CRS84)$/i, 'OGC:CRS84'],
  [/^(urn:ogc:def:crs:EPSG::4326|EPSG:4326|http:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/4326)$/i, 'EPSG:4326'],
  [/^(urn:ogc:def:crs:EPSG::4490|EPSG:4490|http:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/4490)$/i, 'EPSG:4490'],
];

export type CrsResult = { ok: true; crs: AcceptedCrs; declared: boolean } | { ok: false; problem: string };

export function readCrs(collection: Record<string, unknown>): CrsResult {
  const crs = collection.crs;
  if (crs === undefined || crs === null) return { ok: true, crs: 'OGC:CRS84', declared: false };
  const name = (crs as { properties?: { name?: unknown } })?.properties?.name;
  if (typeof name !== 'string') return { ok: false, problem: 'crs must be {"type":"name","properties":{"name":...}}' };
  const hit = ACCEPTED.find(([re]) => re.test(name.trim()));
  return hit
    ? { ok: true, crs: hit[1], declared: true }
    : { ok: false, problem: `CRS "${name}" is not accepted: send WGS 84 (CRS84, EPSG:4326) or CGCS2000 (EPSG:4490) longitude/latitude` };
}
