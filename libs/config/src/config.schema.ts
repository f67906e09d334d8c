import { z } from 'zod';

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
