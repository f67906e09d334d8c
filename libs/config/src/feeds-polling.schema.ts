import cron from 'node-cron';
import { z } from 'zod';

/**
 * Polled HTTP feeds (`feeds.polled`, `feeds.floodSeason`, `feeds.polling`). Kept apart from
 * config.schema.ts so that file stays readable; every cron expression is checked at boot.
 */
const cronExpr = z.string().refine((s) => cron.validate(s), 'must be a valid cron expression (node-cron)');
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Shanghai');

const common = {
  /** Also the ingest source (`poll:<name>`) and the URL segment of POST /feeds/:name/poll. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes'),
  enabled: z.boolean().default(true),
  url: z.string().url(),
  cron: cronExpr,
  /** Faster cadence between floodSeason.from and .to (Beijing dates). */
  cronFloodSeason: cronExpr.optional(),
  timeoutMs: z.number().int().min(100).max(120_000),
  /** Extra attempts after the first, on 5xx, timeouts and dropped connections (never on 4xx). */
  retries: z.number().int().min(0).max(10),
  /** First back-off delay; doubled per attempt, with full jitter. */
  retryBaseMs: z.number().int().min(1).max(60_000).default(1000),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  apiKeyHeader: z.string().min(1).optional(),
  /** Set it in config/production.yaml (not committed), never in default.yaml. */
  apiKey: z.string().min(1).optional(),
  /** Our station code = stationMap[feed id or feed name] ?? stationPrefix + feed id. */
  stationPrefix: z.string().default(''),
  stationMap: z.record(z.string(), z.string().min(1)).default({}),
  /** Consecutive failed polls that open a `feed_failing` alert. */
  failingAfter: z.number().int().min(1).max(1000).default(3),
};

const mapping = z.object({
  itemsPath: z.string(),
  stationField: z.string().min(1),
  timeField: z.string().min(1),
  valueField: z.string().min(1),
  unit: z.enum(['mm', 'm', 'cm', 'in']),
  intervalMinutes: z.number().int().min(1).max(1440).optional(),
  timeZone: timeZone.optional(),
  missingValues: z.array(z.string()).default([]),
  /** Query parameters of a time range; with both, an outage is back-filled from the cursor. */
  fromParam: z.string().min(1).optional(),
  toParam: z.string().min(1).optional(),
  backfillChunkMinutes: z.number().int().min(1).max(10_080).default(360),
  /** How far back a back-fill reaches at most (older gaps need a CSV back-fill). */
  backfillMaxMinutes: z.number().int().min(1).max(100_000).default(10_080),
});

export const polledFeedSchema = z.discriminatedUnion('adapter', [
  z.object({ ...common, adapter: z.literal('hko-hourly-rainfall') }).strict(),
  z.object({ ...common, adapter: z.literal('cwb-rain-gauge'), rollingField: z.enum(['MIN_10', 'RAIN']).default('MIN_10') }).strict(),
  z.object({ ...common, adapter: z.literal('generic-json'), mapping: mapping.strict() }).strict(),
]);

export const floodSeasonSchema = z.object({ from: monthDay, to: monthDay });

export const polledFeedsSchema = z.array(polledFeedSchema).superRefine((feeds, ctx) => {
  const seen = new Set<string>();
  feeds.forEach((f, i) => {
    if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate feed name ${f.name}` });
    seen.add(f.name);
    if (f.adapter === 'generic-json' && !f.mapping.fromParam !== !f.mapping.toParam) {
      ctx.addIssue({ code: 'custom', path: [i, 'mapping'], message: 'fromParam and toParam go together' });
    }
  });
});

export const feedPollingSchema = z.object({
  /** A claimed feed stays claimed this long even if its worker dies mid-poll. */
  leaseSeconds: z.number().int().min(10).max(3600),
});

export type PolledFeedConfig = z.infer<typeof polledFeedSchema>;
