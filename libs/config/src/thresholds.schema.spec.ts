import { loadConfig } from './load-config';
import { thresholdsSchema } from './thresholds.schema';

const base = { NODE_ENV: 'development', JWT_SECRET: 'x'.repeat(40) };

describe('feeds.thresholds configuration', () => {
  it('ships the CMA rainstorm signal criteria (中国气象局令第16号: blue 50/12 h, yellow 50/6 h, orange 50/3 h, red 100/3 h)', () => {
    const t = loadConfig(base).feeds.thresholds;
    expect(t.rainstorm.signals).toEqual([
      { level: 'blue', windowHours: 12, mm: 50 },
      { level: 'yellow', windowHours: 6, mm: 50 },
      { level: 'orange', windowHours: 3, mm: 50 },
      { level: 'red', windowHours: 3, mm: 100 },
    ]);
    expect(t.lowerRatio).toBe(0.8);
    expect(t.holdMinutes).toBe(60);
  });

  it('names every bad key', () => {
    const good = loadConfig(base).feeds.thresholds;
    const bad = thresholdsSchema.safeParse({
      ...good,
      lowerRatio: 1.5,
      rainstorm: {
        ...good.rainstorm,
        signals: [
          { level: 'red', windowHours: 2, mm: 100 },
          { level: 'red', windowHours: 3, mm: -1 },
        ],
      },
      flashFlood: { ...good.flashFlood, aggregate: 'median' },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['lowerRatio', 'rainstorm.signals.0.windowHours', 'rainstorm.signals.1.mm', 'flashFlood.aggregate']),
    );
  });
});
