import { AppError } from '@fangxun/common';
import { GeoJsonChecker } from '@fangxun/geo';
import { bootApi, TestApp } from '../support/app';

const square = (x: number, y: number, d = 0.01) => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];
const feature = (geometry: unknown, properties: object = {}) => ({ type: 'Feature', geometry, properties });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('GeoJSON checks shared by every spatial import (real PostGIS)', () => {
  let t: TestApp;
  let checker: GeoJsonChecker;
  beforeAll(async () => {
    t = await bootApi();
    checker = t.app.get(GeoJsonChecker);
  });
  afterAll(() => t.close());

  it('rejects each kind of broken geometry with its own reason, and keeps the good ones', async () => {
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    const unclosed = {
      type: 'Polygon',
      coordinates: [
        [
          [121, 28],
          [121.1, 28],
          [121.1, 28.1],
          [121, 28.1],
        ],
      ],
    };
    const swapped = { type: 'Point', coordinates: [28.85, 121.12] };
    const empty = { type: 'Polygon', coordinates: [] };
    const tooMany = { type: 'LineString', coordinates: Array.from({ length: 100_001 }, (_, i) => [121 + i * 1e-6, 28.8]) };
    const good = { type: 'Polygon', coordinates: [square(121.1, 28.8)] };
    const res = await checker.check(
      fc(feature(bowTie), feature(unclosed), feature(swapped), feature(empty), feature(tooMany), feature(good)),
      {
        repair: false,
      },
    );
    expect(res.features.map((f) => f.index)).toEqual([5]);
    const byIndex = Object.fromEntries(res.rejected.map((r) => [r.index, r.problem]));
    expect(byIndex[0]).toMatch(/invalid geometry: Self-intersection/);
    expect(byIndex[1]).toMatch(/not closed/);
    expect(byIndex[2]).toMatch(/latitude 121.12 is outside -90..90 \(are longitude and latitude swapped\?\)/);
    expect(byIndex[3]).toMatch(/at least one ring/);
    expect(byIndex[4]).toMatch(/100001 vertices; at most 100000/);
  });

  it('repairs a bow-tie with ST_MakeValid only when asked, and says what changed', async () => {
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [121, 28],
          [121.01, 28.01],
          [121.01, 28],
          [121, 28.01],
          [121, 28],
        ],
      ],
    };
    const res = await checker.check(fc(feature(bowTie)), { repair: true });
    expect(res.rejected).toEqual([]);
    expect(res.features[0].geometryType).toBe('MULTIPOLYGON');
    expect(res.features[0].changes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^repaired with ST_MakeValid \(was: Self-intersection/),
        'type POLYGON became MULTIPOLYGON',
      ]),
    );
  });

  it('rewinds clockwise exterior rings to the RFC 7946 right-hand rule and says so; a right-handed ring passes untouched', async () => {
    const clockwise = { type: 'Polygon', coordinates: [[...square(121.2, 28.9)].reverse()] };
    const ccw = { type: 'Polygon', coordinates: [square(121.2, 28.9)] };
    const res = await checker.check(fc(feature(clockwise), feature(ccw)), { repair: false });
    expect(res.features[0].changes).toEqual(['rings rewound to the RFC 7946 right-hand rule']);
    expect(JSON.parse(res.features[0].geometry)).toEqual(ccw);
    expect(res.features[1].changes).toEqual([]);
    expect(JSON.parse(res.features[1].geometry)).toEqual(ccw);
  });

  it('keeps coordinates exactly (15 significant digits out)', async () => {
    const point = { type: 'Point', coordinates: [121.123456789012, 28.8765432109876] };
    const res = await checker.check(fc(feature(point)), { repair: false });
    expect(JSON.parse(res.features[0].geometry)).toEqual(point);
  });

  it('accepts WGS 84 and CGCS2000, says which CRS was declared, and refuses others', async () => {
    const withCrs = (name: string) => ({
      ...fc(feature({ type: 'Point', coordinates: [121.1, 28.8] })),
      crs: { type: 'name', properties: { name } },
    });
    expect((await checker.check(fc(), { repair: false })).crs).toBe('OGC:CRS84');
    const cgcs = await checker.check(withCrs('urn:ogc:def:crs:EPSG::4490'), { repair: false });
    expect({ crs: cgcs.crs, declared: cgcs.crsDeclared }).toEqual({ crs: 'EPSG:4490', declared: true });
    expect((await checker.check(withCrs('EPSG:4326'), { repair: false })).crs).toBe('EPSG:4326');
    await expect(checker.check(withCrs('EPSG:4549'), { repair: false })).rejects.toMatchObject({
      kind: { code: 'UNSUPPORTED_CRS', status: 400 },
      details: [{ field: 'crs' }],
    });
  });

  it('answers too many features or vertices in a file with 413', async () => {
    const many = fc(...Array.from({ length: 20_001 }, () => feature({ type: 'Point', coordinates: [121, 28] })));
    const err = await checker.check(many, { repair: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(413);
  });
});
