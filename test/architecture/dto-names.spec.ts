import { librarySources } from './source-files';

/**
 * OpenAPI names a schema after its DTO class: two classes of one name share one schema, and the
 * second silently replaces the first in the docs (evacuation's `OrderDto` did that to the
 * response's). A name may be used twice only when the shapes are known to be the same.
 */
const SAME_SHAPE: readonly string[] = [
  'FeatureErrorDto', // geo: risk-object GeoJSON errors and point-feature import errors (index, code, field, problem)
  'HolderRefDto', // registry's holder reference, repeated by evacuation for a household's responsible holder
  'PointDto', // a GeoJSON Point in feeds (stations) and geo (point features)
];

describe('DTO class names', () => {
  it('are unique across libraries (OpenAPI schema names)', () => {
    const where = new Map<string, string[]>();
    for (const f of librarySources()) {
      for (const m of f.text.matchAll(/export class (\w+Dto)\b/g)) where.set(m[1], [...(where.get(m[1]) ?? []), f.path]);
    }
    const twice = [...where]
      .filter(([name, files]) => files.length > 1 && !SAME_SHAPE.includes(name))
      .map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(twice).toEqual([]);
  });
});
