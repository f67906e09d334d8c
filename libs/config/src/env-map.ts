/**
 * Environment variables that override one configuration key each (each also as `<NAME>_FILE`,
 * a path whose content is the value). With the SMS provider variables of sms-env.ts this is the
 * whole list: `.env.example` documents every entry (a test keeps them in step).
 */
export interface EnvBinding {
  key: string;
  type: 'string' | 'number' | 'boolean';
  doc: string;
}

export const ENV_MAP: Record<string, EnvBinding> = {
  NODE_ENV: { key: 'env', type: 'string', doc: 'development | test | production' },
  HOST: { key: 'http.host', type: 'string', doc: 'interface the HTTP server binds' },
  PORT: { key: 'http.port', type: 'number', doc: 'HTTP port (0 = any free port)' },
  PUBLIC_URL: { key: 'http.publicUrl', type: 'string', doc: 'public base URL of the API' },
  TRUST_PROXY: { key: 'http.trustProxy', type: 'boolean', doc: 'trust X-Forwarded-For from a reverse proxy' },
  UPLOAD_MAX_BYTES: { key: 'http.uploadMaxBytes', type: 'number', doc: 'largest import file in bytes' },
  DATABASE_URL: { key: 'database.url', type: 'string', doc: 'PostgreSQL (with PostGIS) connection URL' },
  DATABASE_POOL_SIZE: { key: 'database.poolSize', type: 'number', doc: 'connections per process' },
  DATABASE_MIGRATE_ON_BOOT: { key: 'database.migrateOnBoot', type: 'boolean', doc: 'run pending migrations at boot' },
  JWT_SECRET: { key: 'auth.jwtSecret', type: 'string', doc: 'HMAC secret for access tokens (>= 32 chars); required' },
  JWT_TTL_SECONDS: { key: 'auth.jwtTtlSeconds', type: 'number', doc: 'access-token lifetime' },
  LOGIN_MAX_ATTEMPTS: { key: 'auth.login.maxAttempts', type: 'number', doc: 'login attempts per client+username per window' },
  LOGIN_WINDOW_SECONDS: { key: 'auth.login.windowSeconds', type: 'number', doc: 'login rate-limit window' },
  REDIS_URL: {
    key: 'realtime.redisUrl',
    type: 'string',
    doc: 'Redis for several api replicas: socket.io adapter, shared login-attempt counters',
  },
  LOG_LEVEL: { key: 'log.level', type: 'string', doc: 'fatal | error | warn | info | debug | trace | silent' },
  WORKER_HEALTH_PORT: { key: 'worker.healthPort', type: 'number', doc: "port of the worker's own /health, /ready and /metrics (0 = none)" },
  LOG_PRETTY: { key: 'log.pretty', type: 'boolean', doc: 'human-readable logs (development only)' },
  SEED_DEMO_PASSWORD: { key: 'seed.demoPassword', type: 'string', doc: 'password of the seeded demo users' },
};
