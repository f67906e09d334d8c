import * as fc from 'fast-check';
import { RainfallService, RawReading, ReadingIngestService } from '@fangxun/feeds';
import { bootApi, TestApp, truncateAll } from '../support/app';
import { loginAll, seedTree, seedUsers } from '../support/fixtures';
import { createGauges } from './gauges.fixtures';

const STATIONS = ['R-A1', 'R-A2', 'R-B1'];
const WINDOWS = [1, 3, 6, 12, 24];
const HOUR = 3_600_000;

/**
 * One arrival: a station, a minute inside a 30-hour span, a value (0.0–40.0 mm in that minute).
 * One-minute intervals: rows at different minutes never overlap (overlapping ones are refused).
 */
const arrival = fc.record({
  station: fc.constantFrom(...STATIONS),
  // A few popular minutes make duplicates and corrections common, and sit on window edges.
  minute: fc.oneof(fc.integer({ min: 0, max: 30 * 60 }), fc.constantFrom(0, 5, 60, 65, 180, 360, 600, 720)),
  tenths: fc.integer({ min: 0, max: 400 }),
});

describe('rolling sums from SQL equal a brute-force sum, whatever the arrival order', () => {
  let t: TestApp;
  let ingest: ReadingIngestService;
  let rainfall: RainfallService;
  // Well in the past, so no arrival is "in the future"; on a minute boundary.
  const base = new Date(Math.floor(Date.now() / HOUR) * HOUR - 10 * 24 * HOUR);

  beforeAll(async () => {
    t = await bootApi();
    await truncateAll(t.ds);
    await seedTree(t.ds);
    await seedUsers(t.ds);
    await createGauges(t, (await loginAll(t)).commander);
    ingest = t.app.get(ReadingIngestService);
    rainfall = t.app.get(RainfallService);
  });
  afterAll(() => t.close());

  it('for random readings with duplicates and corrections, in shuffled batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arrival, { minLength: 1, maxLength: 120 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.oneof(fc.integer({ min: -60, max: 31 * 60 }), fc.constantFrom(60, 65, 120, 360, 600, 780, 1440)), {
          minLength: 1,
          maxLength: 4,
        }),
        async (arrivals, batchSizes, atMinutes) => {
          await t.ds.query('delete from reading_revisions; delete from readings');
          // The arrival list is the order the feed delivers in (already shuffled by fast-check);
          // cut it into batches; a later arrival for the same station and minute is a correction.
          const rows: RawReading[] = arrivals.map((a) => ({
            stationCode: a.station,
            observedAt: new Date(base.getTime() + a.minute * 60_000).toISOString(),
            value: a.tenths / 10,
            intervalMinutes: 1,
          }));
          for (let i = 0, b = 0; i < rows.length; b++) {
            const size = batchSizes[b % batchSizes.length];
            const report = await ingest.ingest(rows.slice(i, i + size), 'push');
            expect(report.rejected).toBe(0);
            i += size;
          }
          const final = new Map<string, number>();
          for (const a of arrivals) final.set(`${a.station}|${a.minute}`, a.tenths / 10);

          for (const m of atMinutes) {
            const at = new Date(base.getTime() + m * 60_000);
            const sums = await rainfall.sumsAt(at, WINDOWS);
            for (const code of STATIONS) {
              const got = sums.find((s) => s.code === code);
              for (const [i, hours] of WINDOWS.entries()) {
                let want = 0;
                for (const [key, v] of final) {
                  const [station, minute] = key.split('|');
                  if (station === code && Number(minute) > m - hours * 60 && Number(minute) <= m) want += v;
                }
                expect(got?.windows[i].mm).toBeCloseTo(want, 6);
              }
            }
          }
        },
      ),
      { numRuns: 60, seed: 331082 },
    );
  }, 120_000);

  it('sumsNear answers the stations within a radius of a point, nearest first, for a risk object', async () => {
    await t.ds.query('delete from reading_revisions; delete from readings');
    await ingest.ingest(
      [0, 30, 60, 90].map((m, i) => ({
        stationCode: 'R-A1',
        observedAt: new Date(base.getTime() + m * 60_000).toISOString(),
        value: i + 1,
        intervalMinutes: 30,
      })),
      'csv',
    );
    const total = await rainfall.sumsNear({ type: 'Point', coordinates: [121.1, 28.85] }, 3, [2], new Date(base.getTime() + 90 * 60_000));
    expect(total.map((s) => [s.code, s.windows[0].mm])).toEqual([
      ['R-A1', 10],
      ['R-A2', 0],
      ['R-A3', 0],
    ]);
    expect(total[0].distanceKm).toBe(0);
    expect(total[1].distanceKm).toBeCloseTo(2.2, 1);
    expect(await rainfall.sumsNear({ type: 'Point', coordinates: [122, 29] }, 3, [2], new Date())).toEqual([]);
  });
});
