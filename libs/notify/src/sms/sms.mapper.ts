import type { SmsMessageDto, SmsProviderStatsDto } from './sms.dto';
import type { SmsRow } from './sms.repository';

/** Every digit but the last four becomes `*` (+8613812345678 → +86*******5678 keeps the country code). */
export function maskPhone(e164: string): string {
  const m = /^(\+86)?(.*)$/.exec(e164)!;
  const rest = m[2];
  return `${m[1] ?? ''}${rest.slice(0, -4).replace(/\d/g, '*')}${rest.slice(-4)}`;
}

export function toSmsMessageDto(r: SmsRow): SmsMessageDto {
  return {
    id: r.id,
    to: maskPhone(r.to),
    template: r.template,
    purpose: r.purpose,
    status: r.status,
    attempt: r.attempt,
    provider: r.provider,
    providerMessageId: r.providerMessageId,
    refType: r.refType,
    refId: r.refId,
    errorCode: r.errorCode,
    attempts: r.attempts ?? [],
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: r.sentAt ? new Date(r.sentAt).toISOString() : null,
    deliveredAt: r.deliveredAt ? new Date(r.deliveredAt).toISOString() : null,
  };
}

type AttemptStat = { provider: string; kind: string; result: string; code: string | null; count: number; failovers: number };

/** Per provider: message counts by status, and the window's requests, errors by code, failovers, throttles, look-ups. */
export function toStatsDtos(
  rows: Array<{ provider: string | null; status: string; count: number }>,
  attempts: AttemptStat[],
): SmsProviderStatsDto[] {
  const by = new Map<string | null, SmsProviderStatsDto>();
  const get = (provider: string | null): SmsProviderStatsDto => {
    const s = by.get(provider) ?? {
      provider,
      byStatus: {},
      total: 0,
      requests: 0,
      accepted: 0,
      errorsByCode: {},
      failovers: 0,
      throttles: 0,
      capped: 0,
      queries: {},
    };
    by.set(provider, s);
    return s;
  };
  for (const r of rows) {
    const s = get(r.provider);
    s.byStatus[r.status] = r.count;
    s.total += r.count;
  }
  for (const a of attempts) {
    const s = get(a.provider);
    if (a.kind === 'query') s.queries[a.result] = (s.queries[a.result] ?? 0) + a.count;
    if (a.kind !== 'send') continue;
    s.requests += a.count;
    s.failovers += a.failovers;
    if (a.result === 'accepted') s.accepted += a.count;
    else s.errorsByCode[a.code ?? a.result] = (s.errorsByCode[a.code ?? a.result] ?? 0) + a.count;
    if (a.result === 'throttled') s.throttles += a.count;
    if (a.result === 'capped') s.capped += a.count;
  }
  return [...by.values()];
}
