import Redis from 'ioredis';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Forgets this jest worker's login-attempt counters in Redis (their keys carry the database
 * name): files that boot the API with Redis run one after another on the same database, and
 * one file's failed logins must not lock the next file's users out.
 */
export async function clearLoginCounters(databaseUrl = process.env.DATABASE_URL ?? ''): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`fx-login:${new URL(databaseUrl).pathname.slice(1)}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}
