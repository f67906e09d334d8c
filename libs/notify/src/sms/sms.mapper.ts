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
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: r.sentAt ? new Date(r.sentAt).toISOString() : null,
    deliveredAt: r.deliveredAt ? new Date(r.deliveredAt).toISOString() : null,
  };
}

export function toStatsDtos(rows: Array<{ provider: string | null; status: string; count: number }>): SmsProviderStatsDto[] {
  const by = new Map<string | null, SmsProviderStatsDto>();
  for (const r of rows) {
    const s = by.get(r.provider) ?? { provider: r.provider, byStatus: {}, total: 0 };
    s.byStatus[r.status] = r.count;
    s.total += r.count;
    by.set(r.provider, s);
  }
  return [...by.values()];
}
