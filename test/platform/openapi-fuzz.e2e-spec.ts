import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';
import { FuzzRequest, HealthWatch, requestArbitrary, runFuzz } from '../support/fuzz/fuzz-runner';
import { OpenApiDoc, operationsOf, SchemaArbitraries } from '../support/fuzz/openapi-arbitraries';

/**
 * Schema-driven fuzzing of the whole API: the OpenAPI document the app serves is read at test
 * time, and for every operation fast-check builds requests from its parameters and body schema
 * (mostly valid values so services are reached, with one node replaced by a hostile one: NUL,
 * lone surrogates, huge numbers, wrong types, nulls, deep nesting, 3-D and broken geometries,
 * over-long arrays), sent as the commander, as a town admin and with an API key holding every scope,
 * to the real API on PostGIS.
 *
 * Fails on any 5xx, any 4xx not in the common error body, any stack trace or SQL in a body, any
 * data of another town returned to the town admin, and when /health goes unanswered for more
 * than 1 s while it runs. Seeded (FUZZ_SEED) and bounded (FUZZ_RUNS requests per operation and
 * caller, FUZZ_SECONDS in all): about a minute in CI; `npm run fuzz` runs longer.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260716);
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 45);
const CONCURRENCY = 2;
/** Operations that would end the run's own sessions or are exercised by their own tests. */
const SKIP = new Set<string>([]);

describe('OpenAPI-driven fuzz of every operation', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let base: string;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
    doc = (await request(t.http).get('/api/docs-json').expect(200)).body as OpenApiDoc;
    const commander = { Authorization: `Bearer ${tok.commander}` };
    const station = (code: string, divisionCode: string, lon: number) => ({
      code,
      name: `雨量站${code}`,
      point: { type: 'Point', coordinates: [lon, 28.85] },
      divisionCode,
      kind: 'rain',
      owner: 'meteorology',
    });
    await request(t.http)
      .post('/api/v1/stations')
      .set(commander)
      .send(station('R-A1', TREE.townA, 121.1))
      .expect(201);
    await request(t.http)
      .post('/api/v1/stations')
      .set(commander)
      .send(station('R-B1', TREE.townB, 121.3))
      .expect(201);
    await request(t.http)
      .post('/api/v1/holders')
      .set(commander)
      .send({ name: '岭根村村长', role: 'village_head', divisionCode: TREE.villageB, mobile: '13912345670' })
      .expect(201);
    const key = await request(t.http)
      .post('/api/v1/api-keys')
      .set(commander)
      .send({ name: 'fuzz machine', scopes: ['feeds:write', 'feeds:read', 'sms:callback', 'registry:read'] })
      .expect(201);
    tok = { ...tok, machine: key.body.key as string };
  });
  afterAll(() => t.close());

  it(
    'answers every generated request with a 2xx/3xx or a 4xx in the error body, leaks nothing, and keeps /health answering',
    async () => {
      const gen = new SchemaArbitraries(doc, {
        code: [TREE.townA, TREE.villageA, TREE.townB, 'R-A1', 'R-B1', 'SH-1'],
        divisionCode: [TREE.townA, TREE.villageA, TREE.gridA, TREE.townB, TREE.city],
        stationCode: ['R-A1', 'R-B1'],
        parentCode: [TREE.townA, TREE.townB],
        withinCode: [TREE.townA, TREE.townB],
      });
      const ops = operationsOf(doc).filter((op) => !SKIP.has(`${op.method} ${op.path}`));
      const callers = ['commander', 'admin-a', 'machine'];
      // Round-robin over operations so a run cut short by FUZZ_SECONDS still covers every one.
      const perOp = ops.flatMap((op) =>
        callers.map((as, i) => fc.sample(requestArbitrary(op, as, gen, base), { seed: SEED + i + ops.indexOf(op) * 7, numRuns: RUNS })),
      );
      const requests: FuzzRequest[] = [];
      for (let r = 0; r < RUNS; r++) for (const list of perOp) if (list[r]) requests.push(list[r]);

      // What admin-a (town A) must never be shown: anything filed under town B (its division codes
      // and paths, its gauge), however an answer names it.
      const inTownB = (v: unknown) => typeof v === 'string' && (v.startsWith(TREE.townB) || v.includes(`.${TREE.townB}`));
      const outOfArea = {
        'admin-a': (key: string, value: unknown) =>
          (/^(divisionCode|parentCode|divisionPath|path|townCode|villageCode|withinCode)$/.test(key) && inTownB(value)) ||
          (/^(stationCode)$/.test(key) && value === 'R-B1') ||
          (/^divisionName$/.test(key) && (value === '东塍镇' || value === '岭根村')),
      };
      const inFlight = new Set<string>();
      const health = new HealthWatch(base, () => [...inFlight]);
      health.start(200);
      const started = Date.now();
      const result = await runFuzz(requests, tok, outOfArea, { concurrency: CONCURRENCY, deadline: started + SECONDS * 1000, inFlight });
      const healthMaxMs = health.stop();

      process.stdout.write(
        `fuzz: seed ${SEED}, ${ops.length} operations × ${callers.length} callers, ${result.sent}/${requests.length} requests in ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(result.byStatus)}; ` +
          `/health probed ${health.probes}×, slowest ${healthMaxMs.toFixed(0)} ms (busy ${health.maxBusyMs.toFixed(0)} ms); ` +
          `${result.findings.length} findings\n` +
          result.findings.map((f) => `  ${f.op} as ${f.as} → ${f.status}: ${f.problem}\n    ${f.request}\n    ← ${f.response}`).join('\n') +
          health.slow.map((s) => `\n  slow /health: ${s}`).join('') +
          result.heaviest.map((s) => `\n  heaviest: ${s}`).join('') +
          '\n',
      );
      expect(ops.length).toBeGreaterThan(100);
      // every operation got at least one request before any deadline cut
      expect(result.sent).toBeGreaterThanOrEqual(Math.min(requests.length, perOp.length));
      expect(result.findings).toEqual([]);
      // Liveness: no probe waited over 1 s while this process was busy for over 1 s (a held event
      // loop), and none waited 5 s whatever the machine's load.
      expect(health.maxBusyMs).toBeLessThan(1000);
      expect(healthMaxMs).toBeLessThan(5000);
    },
    (SECONDS + 60) * 1000,
  );
});
