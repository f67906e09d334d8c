import { Injectable, Logger } from '@nestjs/common';
import { Counter, Histogram, register } from 'prom-client';
import type { QueryOutcome, SendOutcome } from './sms.types';

/** A warning per (provider, code) at most this often; the ones in between are counted in the next. */
const WARN_EVERY_MS = 60_000;

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

function histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram<string> {
  return (register.getSingleMetric(name) as Histogram<string> | undefined) ?? new Histogram({ name, help, labelNames, buckets });
}

/**
 * What the operator sees of each provider: Prometheus counters and a latency histogram (in the
 * process that sends: the worker's /metrics, or the standalone's) and a warn log per provider
 * error, rate-limited per (provider, code). Metrics live in prom-client's default registry,
 * created once per process (several Nest apps in one test process share them).
 */
@Injectable()
export class SmsProviderWatch {
  private readonly log = new Logger('SmsProviders');
  private readonly requests = counter('fangxun_sms_provider_requests_total', 'SMS provider requests by action (send, query)', [
    'provider',
    'action',
  ]);
  private readonly messages = counter(
    'fangxun_sms_provider_messages_total',
    'messages in SMS provider send requests by result (accepted, failed, throttled, capped, unknown)',
    ['provider', 'result'],
  );
  private readonly errors = counter('fangxun_sms_provider_errors_total', 'messages a provider did not accept, by its code', [
    'provider',
    'code',
  ]);
  private readonly failovers = counter('fangxun_sms_failovers_total', 'messages moved on to the next provider of the chain', ['provider']);
  private readonly throttles = counter('fangxun_sms_throttles_total', 'messages a provider throttled', ['provider']);
  private readonly queries = counter(
    'fangxun_sms_queries_total',
    'status look-ups of unknown outcomes by answer (found, not_found, unknown)',
    ['provider', 'result'],
  );
  private readonly latency = histogram(
    'fangxun_sms_provider_request_seconds',
    'SMS provider request duration by action',
    ['provider', 'action'],
    [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  );
  private readonly lastWarn = new Map<string, { at: number; suppressed: number }>();

  /** Times one provider request. */
  async timed<T>(provider: string, action: 'send' | 'query', fn: () => Promise<T>): Promise<T> {
    this.requests.inc({ provider, action });
    const end = this.latency.startTimer({ provider, action });
    try {
      return await fn();
    } finally {
      end();
    }
  }

  sent(provider: string, outcomes: SendOutcome[]): void {
    for (const o of outcomes) {
      const result = o.result === 'failed' ? o.failure : o.result;
      this.messages.inc({ provider, result });
      if (o.result === 'accepted') continue;
      this.errors.inc({ provider, code: o.code });
      if (o.result === 'failed' && o.failure === 'throttled') this.throttles.inc({ provider });
      this.warn(provider, o.code, o.message);
    }
  }

  queried(provider: string, q: QueryOutcome): void {
    this.queries.inc({ provider, result: q.found === true ? 'found' : q.found === false ? 'not_found' : 'unknown' });
    if (q.found === 'unknown') this.warn(provider, 'QUERY_UNANSWERED', q.reason);
  }

  failedOver(provider: string, n: number): void {
    if (n > 0) this.failovers.inc({ provider }, n);
  }

  private warn(provider: string, code: string, message: string): void {
    const key = `${provider}\u0000${code}`;
    const now = Date.now();
    const last = this.lastWarn.get(key);
    if (last && now - last.at < WARN_EVERY_MS) {
      last.suppressed++;
      return;
    }
    if (this.lastWarn.size > 1000) this.lastWarn.clear(); // codes are few; never let the map grow without bound
    const more = last?.suppressed ? ` (+${last.suppressed} more since the last warning)` : '';
    this.log.warn(`provider ${provider} error ${code}: ${message.slice(0, 200)}${more}`);
    this.lastWarn.set(key, { at: now, suppressed: 0 });
  }
}
