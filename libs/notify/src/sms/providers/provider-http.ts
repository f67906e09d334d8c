import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { beijingDate } from '@fangxun/common';

/** Connection errors after which nothing can have reached the provider. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

export type HttpResult =
  | { kind: 'response'; res: AxiosResponse<unknown> }
  /** Refused before anything was sent: safe to send elsewhere. */
  | { kind: 'not_sent'; code: string; message: string }
  /** Timed out or dropped after the request may have left: outcome unknown. */
  | { kind: 'unknown'; code: string; message: string };

/** One axios instance per adapter: explicit timeout, every status answered (the body is checked). */
export function providerAxios(timeoutMs: number): AxiosInstance {
  return axios.create({
    timeout: timeoutMs,
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: 4 * 1024 * 1024,
    transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
    proxy: false,
  });
}

export async function callProvider(run: () => Promise<AxiosResponse<unknown>>): Promise<HttpResult> {
  try {
    return { kind: 'response', res: await run() };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const code = e.code ?? 'HTTP_ERROR';
    return NOT_SENT.has(code)
      ? { kind: 'not_sent', code, message: e.message ?? code }
      : { kind: 'unknown', code, message: e.message ?? code };
  }
}

/** E.164 (+86…) from what providers push: 11-digit mainland numbers, 86/0086 prefixes, +… kept. */
export function toE164(raw: string, nationCode?: string): string {
  const digits = String(raw).replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (nationCode) return `+${nationCode.replace(/\D/g, '')}${digits.replace(/^0+/, '')}`;
  if (digits.startsWith('0086')) return `+86${digits.slice(4)}`;
  if (/^1\d{10}$/.test(digits)) return `+86${digits}`;
  if (/^861\d{10}$/.test(digits)) return `+${digits}`;
  return `+${digits}`;
}

/** `yyyy-MM-dd HH:mm:ss` without a zone (Aliyun, Tencent pushes): Beijing time. */
export function beijingTime(s: unknown): Date | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2]}+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** yyyyMMdd of an instant in Beijing (Aliyun QuerySendDetails SendDate). */
export function beijingYmd(d: Date): string {
  return beijingDate(d).replace(/-/g, '');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
