import fc from 'fast-check';

/** The parts of OpenAPI 3 the generator reads. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  pattern?: string;
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  /** JSON body schema, when the operation takes a JSON body. */
  body?: Schema;
  /** Content types the operation declares for its body. */
  bodyTypes: string[];
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every documented operation, with its parameters and JSON body schema. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const json = Object.entries(content).find(([t]) => /json/.test(t));
      ops.push({ method, path, parameters: op.parameters ?? [], body: json?.[1].schema, bodyTypes: Object.keys(content) });
    }
  }
  return ops;
}

// ---- hostile values ---------------------------------------------------------------------------

/** A few geometries the GeoJSON checker must refuse or accept cleanly (3-D, empty, broken, swapped). */
export const GEOMETRIES: unknown[] = [
  { type: 'Point', coordinates: [121.12, 28.85] },
  { type: 'Point', coordinates: [121.12, 28.85, 12.5] },
  { type: 'Point', coordinates: [28.85, 121.12] },
  { type: 'Point', coordinates: [] },
  { type: 'Point', coordinates: [1e308, -1e308] },
  {
    type: 'Polygon',
    coordinates: [
      [
        [121.1, 28.8],
        [121.2, 28.8],
        [121.2, 28.9],
        [121.1, 28.9],
        [121.1, 28.8],
      ],
    ],
  },
  {
    type: 'Polygon',
    coordinates: [
      [
        [121.1, 28.8, 5],
        [121.2, 28.8, 5],
        [121.2, 28.9, 5],
        [121.1, 28.8, 5],
      ],
    ],
  },
  // a bow-tie: self-intersecting
  {
    type: 'Polygon',
    coordinates: [
      [
        [121.1, 28.8],
        [121.2, 28.9],
        [121.2, 28.8],
        [121.1, 28.9],
        [121.1, 28.8],
      ],
    ],
  },
  { type: 'Polygon', coordinates: [[[121.1, 28.8]]] },
  { type: 'Polygon', coordinates: [] },
  { type: 'MultiPolygon', coordinates: [] },
  { type: 'MultiPolygon', coordinates: [[]] },
  { type: 'Polygonn', coordinates: [] },
  { type: 'LineString', coordinates: [[121.1, 28.8]] },
  { type: 'GeometryCollection', geometries: [] },
  { type: 'Feature', geometry: null, properties: {} },
];

const deep = (n: number): unknown => (n === 0 ? 1 : [deep(n - 1)]);

/** Values that have broken services before: NUL, lone surrogates, extremes, wrong types, nesting, geometry. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    '',
    ' ',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '😀'.repeat(100),
    'x'.repeat(5000),
    "' or 1=1 --",
    '../../etc/passwd',
    '<script>alert(1)</script>',
    0,
    -1,
    1.5,
    2 ** 53 + 1,
    1e308,
    -1e308,
    true,
    false,
    [],
    {},
    [null],
    [[]],
    { type: 'Point' },
    '2026-02-30T25:61:00+08:00',
    '00000000-0000-0000-0000-000000000000',
    '331082100',
    'R-B1',
    deep(30),
  ),
  fc.constantFrom(...GEOMETRIES),
  fc.integer({ min: 1, max: 3 }).map((k) => new Array(k === 1 ? 1001 : k === 2 ? 5001 : 20_001).fill(k === 3 ? {} : 'x')),
);

// ---- schema-driven values ---------------------------------------------------------------------

export class SchemaArbitraries {
  constructor(
    private readonly doc: OpenApiDoc,
    /** Known-good values by property or parameter name (codes that exist, ids of seeded rows). */
    private readonly known: Record<string, unknown[]> = {},
  ) {}

  resolve(s: Schema | undefined): Schema {
    let out = s ?? {};
    for (let i = 0; out.$ref && i < 10; i++) out = this.doc.components?.schemas?.[out.$ref.split('/').pop()!] ?? {};
    if (out.allOf?.length) out = { ...this.resolve(out.allOf[0]), ...out, allOf: undefined };
    return out;
  }

  /** A value the schema describes (mostly valid, so requests reach the services), depth-limited. */
  valid(schema: Schema | undefined, name = '', depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const known = this.known[name];
    const own = this.own(s, name, depth);
    return known?.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 2 }, { arbitrary: own, weight: 1 }) : own;
  }

  private own(s: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
    const alts = [...(s.oneOf ?? []), ...(s.anyOf ?? [])];
    if (alts.length) return fc.oneof(...alts.map((a) => this.valid(a, name, depth)));
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    if (s.example !== undefined && type !== 'object' && type !== 'array') {
      return fc.oneof({ arbitrary: fc.constant(s.example), weight: 2 }, { arbitrary: this.byType(s, type, name, depth), weight: 1 });
    }
    return this.byType(s, type, name, depth);
  }

  private byType(s: Schema, type: string | undefined, name: string, depth: number): fc.Arbitrary<unknown> {
    switch (type) {
      case 'string':
        return this.string(s);
      case 'integer':
        return fc.integer({ min: Math.max(s.minimum ?? -10, -1e6), max: Math.min(s.maximum ?? 1000, 1e9) });
      case 'number':
        return fc.double({
          min: Math.max(s.minimum ?? -10, -1e6),
          max: Math.min(s.maximum ?? 1000, 1e9),
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'array': {
        if (depth > 6) return fc.constant([]);
        const max = Math.min(s.maxItems ?? 3, 3);
        return fc.array(this.valid(s.items, name, depth + 1), { minLength: Math.min(s.minItems ?? 0, max), maxLength: max });
      }
      case 'object':
      default: {
        if (!s.properties) return /geometry|boundary|polygon|area|geojson/i.test(name) ? fc.constantFrom(...GEOMETRIES) : fc.constant({});
        if (depth > 6) return fc.constant({});
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, p] of Object.entries(s.properties)) model[k] = this.valid(p, k, depth + 1);
        return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) });
      }
    }
  }

  private string(s: Schema): fc.Arbitrary<string> {
    if (s.format === 'uuid') return fc.uuid();
    if (s.format === 'date-time')
      return fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    if (s.pattern) {
      try {
        return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 200));
      } catch {
        // an ECMAScript-incompatible pattern: fall through to plain strings
      }
    }
    return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 60), unit: 'grapheme' });
  }

  /** A valid value with one node (the k-th, depth-first) replaced by a hostile one; or untouched. */
  mutated(schema: Schema | undefined, name = ''): fc.Arbitrary<unknown> {
    return fc
      .tuple(this.valid(schema, name), fc.nat(), hostileValue, fc.integer({ min: 0, max: 3 }))
      .map(([value, k, bad, mode]) => (mode === 0 ? value : replaceNode(value, k, bad)));
  }
}

/** Replaces the (k mod n)-th node of a JSON value (depth-first, root included) with `bad`. */
function replaceNode(value: unknown, k: number, bad: unknown): unknown {
  const nodes: Array<{ parent: Record<string, unknown> | unknown[] | null; key: string | number }> = [];
  const walk = (v: unknown, parent: Record<string, unknown> | unknown[] | null, key: string | number) => {
    nodes.push({ parent, key });
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, v, i));
    else if (v && typeof v === 'object') for (const [kk, x] of Object.entries(v)) walk(x, v as Record<string, unknown>, kk);
  };
  const copy = structuredClone(value);
  walk(copy, null, '');
  const at = nodes[k % nodes.length];
  if (!at.parent) return bad;
  (at.parent as Record<string | number, unknown>)[at.key] = bad;
  return copy;
}

/** Raw (already percent-encoded) path and query values that must come back as a 4xx naming the parameter. */
export const hostileParam: fc.Arbitrary<string> = fc.constantFrom(
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%E0%A4%A',
  '%',
  'x'.repeat(600),
  '-1',
  '1e400',
  '99999999999999999999',
  '0',
  '%20',
  '..%2F..%2Fetc',
  '%27%20or%201%3D1',
  'null',
  'true',
  '2026-13-45',
  '00000000-0000-0000-0000-000000000000',
);
