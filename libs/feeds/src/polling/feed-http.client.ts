import { Injectable, Logger } from '@nestjs/common';
import axios, { AxiosError } from 'axios';
import type { PolledFeedConfig } from '@fangxun/config';
import { backoffDelayMs, isRetryable } from './retry-policy';

/** Why a fetch gave up: HTTP status, network code, or a body that is not JSON. */
export class FeedFetchError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'FeedFetchError';
  }
}

export interface FeedFetchResult {
  body: unknown;
  attempts: number;
}

/** Injected so tests need not wait for real back-off delays. */
export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One GET against a polled feed, with timeout, retries with jittered back-off, and JSON check. */
@Injectable()
export class FeedHttpClient {
  private readonly log = new Logger(FeedHttpClient.name);
  sleep: Sleep = realSleep;

  async getJson(feed: PolledFeedConfig, params: Record<string, string> = {}): Promise<FeedFetchResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { body: await this.once(feed, params), attempts: attempt + 1 };
      } catch (err) {
        const failure = describe(err);
        const last = attempt >= feed.retries || !isRetryable(failure);
        if (last) throw new FeedFetchError(failure.message, attempt + 1, failure.status, failure.code);
        const delay = backoffDelayMs(attempt, feed.retryBaseMs);
        this.log.warn(`feed ${feed.name}: ${failure.message}; retry ${attempt + 1}/${feed.retries} in ${delay} ms`);
        await this.sleep(delay);
      }
    }
  }

  private async once(feed: PolledFeedConfig, params: Record<string, string>): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (feed.apiKeyHeader && feed.apiKey) headers[feed.apiKeyHeader] = feed.apiKey;
    const res = await axios.get<string>(feed.url, {
      params,
      headers,
      // axios's timeout is per socket inactivity; the signal bounds the whole exchange too,
      // so a feed trickling one byte a second cannot hold a worker.
      timeout: feed.timeoutMs,
      signal: AbortSignal.timeout(feed.timeoutMs),
      responseType: 'text',
      transformResponse: [(data: string) => data],
      maxContentLength: feed.maxBodyBytes,
      maxRedirects: 3,
      validateStatus: (s) => s >= 200 && s < 300,
    });
    try {
      return JSON.parse(res.data) as unknown;
    } catch {
      throw new BodyNotJson();
    }
  }
}

class BodyNotJson extends Error {
  constructor() {
    super('response body is not JSON');
  }
}

function describe(err: unknown): { message: string; status?: number; code?: string } {
  if (err instanceof BodyNotJson) return { message: err.message, code: 'BODY_NOT_JSON' };
  if (err instanceof AxiosError) {
    if (err.response) return { message: `HTTP ${err.response.status}`, status: err.response.status };
    const code = err.code === 'ERR_CANCELED' || err.code === 'ECONNABORTED' ? 'ETIMEDOUT' : err.code;
    return { message: code === 'ETIMEDOUT' ? 'timed out' : `${code ?? 'network error'}: ${err.message}`, code };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}
