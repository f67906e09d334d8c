/** Network failures worth another try: the feed or the path to it hiccuped. */
const RETRYABLE_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN']);

/**
 * 5xx and dropped/timed-out connections are retried; a 4xx is not (our request or key is
 * wrong and asking again only hammers the provider), nor is a body of the wrong shape.
 */
export function isRetryable(failure: { status?: number; code?: string }): boolean {
  if (failure.status !== undefined) return failure.status >= 500;
  return failure.code !== undefined && RETRYABLE_CODES.has(failure.code);
}

/**
 * Exponential back-off with full jitter (AWS architecture blog): a random delay in
 * [0, base·2^attempt], capped, so that many workers recovering together do not retry in step.
 */
export function backoffDelayMs(attempt: number, baseMs: number, random: () => number = Math.random, capMs = 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
