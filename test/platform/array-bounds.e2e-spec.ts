import { getMetadataStorage } from 'class-validator';
import request from 'supertest';
import { bootApi, TestApp } from '../support/app';

type Schema = {
  $ref?: string;
  type?: string;
  items?: Schema;
  maxItems?: number;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};

/**
 * Bounded work starts with bounded input: every array a caller can send has a documented
 * `maxItems`, and the same bound is a class-validator `ArrayMaxSize` the validation pipe reads
 * before any item is validated. A route added later without one fails here.
 */
describe('every array a request can carry has a documented bound', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, Schema> } };

  beforeAll(async () => {
    t = await bootApi();
    doc = (await request(t.http).get('/api/docs-json')).body;
  });
  afterAll(() => t.close());

  it('declares maxItems on every array in request bodies and query parameters of the OpenAPI document', () => {
    const missing = new Set<string>();
    const seen = new Set<string>();
    const walk = (s: Schema | undefined, at: string): void => {
      if (!s) return;
      if (s.$ref) {
        const name = s.$ref.split('/').pop()!;
        if (seen.has(name)) return;
        seen.add(name);
        return walk(doc.components.schemas[name], name);
      }
      if (s.type === 'array' && s.maxItems === undefined) missing.add(at);
      walk(s.items, `${at}[]`);
      for (const [k, p] of Object.entries(s.properties ?? {})) walk(p, `${at}.${k}`);
      for (const sub of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) walk(sub, at);
    };
    let bodies = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const o = op as {
          requestBody?: { content?: Record<string, { schema?: Schema }> };
          parameters?: Array<{ name: string; schema?: Schema }>;
        };
        for (const [type, c] of Object.entries(o.requestBody?.content ?? {})) {
          bodies++;
          walk(c.schema, `${method.toUpperCase()} ${path} (${type})`);
        }
        for (const p of o.parameters ?? []) walk(p.schema, `${method.toUpperCase()} ${path} ?${p.name}`);
      }
    }
    expect(bodies).toBeGreaterThan(40);
    expect([...missing].sort()).toEqual([]);
  });

  it('declares the bounds of the repeatable elements of the CAP JSON form of POST /warnings', () => {
    const body = (doc.paths['/api/v1/warnings'].post as { requestBody: { content: Record<string, { schema: Schema }> } }).requestBody
      .content['application/json'].schema;
    const listOf = (s: Schema | undefined) => s?.oneOf?.find((x) => x.type === 'array');
    const info = listOf(body.properties!.info)!;
    const area = listOf(info.items!.properties!.area)!;
    expect(info.maxItems).toBe(20);
    expect(listOf(body.properties!.code)?.maxItems).toBe(100);
    expect(area.maxItems).toBe(500);
    expect(listOf(info.items!.properties!.parameter)?.maxItems).toBe(100);
    expect(listOf(info.items!.properties!.resource)?.maxItems).toBe(50);
    expect(listOf(area.items!.properties!.polygon)?.maxItems).toBe(100);
    expect(listOf(area.items!.properties!.circle)?.maxItems).toBe(100);
    expect(listOf(area.items!.properties!.geocode)?.maxItems).toBe(2000);
  });

  it('gives every validated array property of every DTO class an ArrayMaxSize', () => {
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<new () => unknown, Array<{ propertyName: string; name?: string; each?: boolean; type: string }>>;
    };
    const missing: string[] = [];
    let arrays = 0;
    for (const [target, metas] of storage.validationMetadatas) {
      const byProp = new Map<string, typeof metas>();
      for (const m of metas) byProp.set(m.propertyName, [...(byProp.get(m.propertyName) ?? []), m]);
      for (const [prop, ms] of byProp) {
        const isArray = ms.some((m) => m.name === 'isArray' || m.each === true);
        if (!isArray) continue;
        arrays++;
        // Inherited bounds count (PartialType/OmitType copy them, `extends` inherits them).
        const all = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
        if (!all.some((m) => m.propertyName === prop && m.name === 'arrayMaxSize')) missing.push(`${target.name}.${prop}`);
      }
    }
    expect(arrays).toBeGreaterThan(20);
    expect(missing.sort()).toEqual([]);
  });
});
