import { z } from 'zod';
import { evacuationSchema } from './evacuation.schema';
import { feedPollingSchema, floodSeasonSchema, polledFeedsSchema } from './feeds-polling.schema';
import { publicWarningsSchema } from './public-warnings.schema';
import { realtimeSchema } from './realtime.schema';
import { responseSchema } from './response.schema';
import { responseOrdersSchema } from './response-orders.schema';
import { smsSchema } from './sms.schema';
import { thresholdsSchema } from './thresholds.schema';
import { wakeupSchema } from './wakeup.schema';

/**
 * The one shape of Fangxun's configuration. Defaults live in `config/default.yaml`;
 * environment variables (see env-map.ts) override single keys. Nothing else reads process.env.
 */
const port = z.number().int().min(0).max(65535);

export const configSchema = z
  .object({
    env: z.enum(['development', 'test', 'production']),
    http: z.object({
      host: z.string().min(1),
      port,
      /** Largest JSON body accepted, in bytes. */
      jsonBodyLimitBytes: z
        .number()
        .int()
        .min(1024)
        .max(64 * 1024 * 1024),
      /** JSON nested deeper than this is refused before it is parsed. */
      jsonMaxDepth: z.number().int().min(4).max(256),
      /**
       * A plain JSON body with more values than this (counted on the raw bytes) is refused before
       * it is parsed: parsing and checking 700,000 `{}` costs the event loop ~0.5 s (more on a loaded machine); bulk bodies
       * (GeoJSON, reading batches) have their own content types and limits.
       */
      jsonMaxValues: z.number().int().min(1000).max(10_000_000),
      /** Largest uploaded file (CSV/XLSX imports), in bytes. */
      uploadMaxBytes: z
        .number()
        .int()
        .min(1024)
        .max(200 * 1024 * 1024),
      /** Public base URL printed at start and used in links. */
      publicUrl: z.string().url().optional(),
      trustProxy: z.boolean(),
    }),
    database: z.object({
      url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
      poolSize: z.number().int().min(1).max(200),
      statementTimeoutMs: z.number().int().min(100).max(600_000),
      /** Run pending migrations at boot (under an advisory lock). */
      migrateOnBoot: z.boolean(),
    }),
    auth: z.object({
      jwtSecret: z.string().min(32, 'must be at least 32 characters'),
      jwtTtlSeconds: z
        .number()
        .int()
        .min(60)
        .max(7 * 24 * 3600),
      jwtIssuer: z.string().min(1),
      login: z.object({
        /** Attempts allowed per (client, username) in the window before 429. */
        maxAttempts: z.number().int().min(1).max(1000),
        windowSeconds: z.number().int().min(1).max(86_400),
      }),
      /** scrypt: N = 2^costLog2, memory = 128·N·blockSize bytes (2^17, 8 → 128 MiB, OWASP). */
      passwordHash: z.object({
        costLog2: z.number().int().min(10).max(20),
        blockSize: z.number().int().min(1).max(32),
        parallelization: z.number().int().min(1).max(16),
      }),
    }),
    log: z.object({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      pretty: z.boolean(),
    }),
    audit: z.object({
      /** Rows per SELECT while GET /audit/verify walks the chain (memory stays bounded by it). */
      verifyBatchRows: z.number().int().min(100).max(100_000),
      pageSizeDefault: z.number().int().min(1).max(1000),
      pageSizeMax: z.number().int().min(1).max(5000),
    }),
    registry: z.object({
      importMaxRows: z.number().int().min(1).max(1_000_000),
      pageSizeDefault: z.number().int().min(1).max(1000),
      pageSizeMax: z.number().int().min(1).max(5000),
    }),
    geo: z.object({
      /** GeoJSON bodies (application/geo+json) may be larger than other JSON. */
      geojsonBodyLimitBytes: z
        .number()
        .int()
        .min(1024)
        .max(256 * 1024 * 1024),
      importMaxFeatures: z.number().int().min(1).max(1_000_000),
      importMaxVertices: z.number().int().min(1).max(50_000_000),
      maxVerticesPerFeature: z.number().int().min(4).max(5_000_000),
    }),
    feeds: z.object({
      /** Reading batches (application/vnd.fangxun.readings+json) may be larger than other JSON. */
      readingsBodyLimitBytes: z
        .number()
        .int()
        .min(1024)
        .max(256 * 1024 * 1024),
      /** Rows per pushed batch or CSV back-fill; larger ones are refused whole. */
      ingestMaxRows: z.number().int().min(1).max(1_000_000),
      /** Rows per INSERT … SELECT FROM unnest(…) statement. */
      ingestChunkRows: z.number().int().min(100).max(50_000),
      /** Rain amount interval assumed when a row does not say (minutes). */
      defaultRainIntervalMinutes: z.number().int().min(1).max(1440),
      /** A station with no reading for this long is `silent` (a station may override it). */
      silentAfterMinutes: z.number().int().min(1).max(100_000),
      /** How often the worker checks liveness (seconds). */
      livenessCheckSeconds: z.number().int().min(5).max(86_400),
      /** observedAt further ahead than this is refused (clock skew allowance). */
      maxFutureMinutes: z.number().int().min(0).max(1440),
      quality: z.object({
        /** Rain over an interval up to `withinMinutes` above `maxMm` is physically impossible: rejected. */
        maxRain: z.array(z.object({ withinMinutes: z.number().int().min(1).max(1440), maxMm: z.number().positive() })).min(1),
        /**
         * Rolling sums at one gauge above `maxMm` within `windowMinutes` are impossible: after each
         * ingest the windows a batch touches are summed and every row inside one over its limit is
         * stored `suspect` (kept, reported as flagged, left out of thresholds). Only rows whose own
         * interval fits in the window count towards it.
         */
        windowLimits: z
          .array(z.object({ windowMinutes: z.number().int().min(1).max(1440), maxMm: z.number().positive() }))
          .min(1)
          .max(8)
          .refine((l) => new Set(l.map((x) => x.windowMinutes)).size === l.length, 'one limit per window'),
        /** Water and reservoir levels outside this range (m) are rejected. */
        levelMinM: z.number(),
        levelMaxM: z.number(),
        /** Spike: ≥ spikeMinMm in the hour while every active rain station within neighbourRadiusKm got < dryNeighbourMaxMm. */
        spikeMinMm: z.number().positive(),
        dryNeighbourMaxMm: z.number().min(0),
        neighbourRadiusKm: z.number().positive().max(200),
        /** Fewer neighbours than this: no spike or unit verdict (nothing to compare with). */
        minNeighbours: z.number().int().min(1).max(50),
        /** Hour sums 10–25.4× the neighbours' median (when that median is at least this) look like a unit mistake. */
        unitMistakeNeighbourMinMm: z.number().min(0),
      }),
      /** Beijing dates (MM-DD) between which polled feeds use their cronFloodSeason. */
      floodSeason: floodSeasonSchema,
      polling: feedPollingSchema,
      polled: polledFeedsSchema,
      /** CAP XML bodies (application/cap+xml, application/xml, text/xml): larger ones get 413. */
      capMaxBytes: z
        .number()
        .int()
        .min(1024)
        .max(16 * 1024 * 1024),
      /** Element nesting deeper than this is refused (400) before the XML parser runs; CAP needs 4. */
      capMaxDepth: z.number().int().min(6).max(200),
      cap: z.object({
        /**
         * Which ground a warning covers when it names divisions by geocode and also draws polygons
         * or circles. geocodeFirst: exactly the named divisions, plus the drawn parts outside every
         * division (the sea); union: named divisions and all the drawn ground (over-warns).
         */
        areaMode: z.enum(['geocodeFirst', 'union']),
        /** `sent`, `effective`, `onset`, `expires` further ahead of now than this are refused (a Buddhist-era 2568). */
        maxFutureDays: z.number().int().min(1).max(3650),
      }),
      /** `sender` of the CAP messages we issue ourselves (thresholds, the HQ). */
      warningSender: z.string().min(3).max(200),
      /** How often the worker moves warnings past `expires` to `expired` (seconds). */
      warningExpirySeconds: z.number().int().min(5).max(86_400),
      thresholds: thresholdsSchema,
    }),
    wakeup: wakeupSchema,
    responseOrders: responseOrdersSchema,
    response: responseSchema,
    evacuation: evacuationSchema,
    worker: z
      .object({
        /** Port of the worker's own /health and /ready (0: not served). */
        healthPort: z.number().int().min(0).max(65535),
      })
      .strict(),
    outbox: z
      .object({
        /** Events every consumer is done with are deleted after this many days. */
        retentionDays: z.number().int().min(1).max(3650),
        pruneEverySeconds: z.number().int().min(10).max(86_400),
        pruneBatch: z.number().int().min(100).max(100_000),
      })
      .strict(),
    realtime: realtimeSchema,
    sms: smsSchema,
    publicWarnings: publicWarningsSchema,
    seed: z.object({
      randomSeed: z.number().int(),
      /**
       * Seeded phone numbers all start with this prefix (E.164), so that nothing real is ever
       * dialled from a demo. Later the SMS adapters refuse to send to it outside the sandbox.
       */
      fakePhonePrefix: z.string().regex(/^\+861\d{2,6}$/, 'must be like +86199000'),
      /** Password of the seeded demo users (development only; refused in production). */
      demoPassword: z.string().min(8).optional(),
    }),
  })
  .strict();

export type AppConfig = z.infer<typeof configSchema>;
