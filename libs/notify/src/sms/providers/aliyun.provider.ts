import { createHash, randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { SmsProviderConfig } from '@fangxun/config';
import {
  CallbackRequest,
  QueryOutcome,
  SendOutcome,
  SmsBatch,
  SmsInbound,
  SmsItem,
  SmsPayloadError,
  SmsProvider,
  SmsQueryItem,
  SmsReceipt,
} from '../sms.types';
import { verifyToken } from './callback-auth';
import { classifyAliyun } from './error-codes';
import { failAll, ProviderOptions, refuseFake } from './provider-common';
import { beijingTime, beijingYmd, callProvider, isRecord, providerAxios, toE164 } from './provider-http';
import { aliyunSignature } from './signing';

type AliyunConfig = Extract<SmsProviderConfig, { kind: 'aliyun' }>;

/**
 * Alibaba Cloud SMS, Dysmsapi 2017-05-25, RPC style: form-encoded POST signed with HMAC-SHA1
 * (see signing.ts). One number → SendSms; several → SendBatchSms (≤ 100 numbers, per-number
 * variables, one TemplateCode). The send is not idempotent (Alibaba says so): an unknown
 * outcome is settled with QuerySendDetails, matching our OutId, before anything is re-sent.
 */
export class AliyunSmsProvider implements SmsProvider {
  readonly kind = 'aliyun' as const;
  readonly name: string;
  readonly maxBatch: number;
  readonly callbackAck = { code: 0, msg: '接收成功' };
  private readonly http: AxiosInstance;

  constructor(
    private readonly cfg: AliyunConfig,
    private readonly opts: ProviderOptions,
  ) {
    this.name = cfg.name;
    this.maxBatch = Math.min(cfg.maxBatch ?? 100, 100);
    this.http = providerAxios(cfg.timeoutMs);
  }

  groupKey(item: SmsItem): string {
    return item.template;
  }

  async send(batch: SmsBatch): Promise<SendOutcome[]> {
    const [fake, items] = refuseFake(batch.items, this.opts.fakePrefix);
    if (!items.length) return fake;
    const templateCode = this.cfg.templates[batch.template];
    if (!templateCode)
      return [...fake, ...failAll(items, 'permanent', 'NO_TEMPLATE_CODE', `no Aliyun template code for ${batch.template}`)];
    const params: Record<string, string> =
      items.length === 1
        ? {
            Action: 'SendSms',
            PhoneNumbers: national(items[0].to),
            SignName: this.cfg.signName,
            TemplateCode: templateCode,
            TemplateParam: JSON.stringify(this.variables(items[0])),
            OutId: batch.outId,
          }
        : {
            Action: 'SendBatchSms',
            PhoneNumberJson: JSON.stringify(items.map((i) => national(i.to))),
            SignNameJson: JSON.stringify(items.map(() => this.cfg.signName)),
            TemplateCode: templateCode,
            TemplateParamJson: JSON.stringify(items.map((i) => this.variables(i))),
            OutId: batch.outId,
          };
    const r = await this.call(params);
    if (r.kind !== 'response') {
      return [...fake, ...items.map((i) => outcomeOf(i, r.kind === 'not_sent' ? 'retryable' : 'unknown', r.code, r.message))];
    }
    const body = r.res.data;
    const code = isRecord(body) && typeof body.Code === 'string' ? body.Code : '';
    const message = isRecord(body) && typeof body.Message === 'string' ? body.Message : `HTTP ${r.res.status}`;
    if (r.res.status === 200 && code === 'OK' && isRecord(body) && typeof body.BizId === 'string') {
      const bizId = body.BizId;
      return [...fake, ...items.map((i): SendOutcome => ({ messageId: i.messageId, result: 'accepted', providerMessageId: bizId }))];
    }
    // 5xx: the gateway may have acted before failing; let QuerySendDetails decide.
    if (r.res.status >= 500) return [...fake, ...items.map((i) => outcomeOf(i, 'unknown', code || `HTTP_${r.res.status}`, message))];
    if (r.res.status === 429) return [...fake, ...failAll(items, 'throttled', code || 'HTTP_429', message)];
    return [...fake, ...failAll(items, classifyAliyun(code, message), code || `HTTP_${r.res.status}`, message)];
  }

  /**
   * QuerySendDetails per number and Beijing day (the attempt's day, and today if the attempt
   * straddled midnight); found = a record with our OutId. The API and its response shape
   * (SmsSendDetailDTOs.SmsSendDetailDTO[], OutId, SendStatus) are from the Dysmsapi reference;
   * the shared fixtures have no example of it.
   */
  async query(items: SmsQueryItem[]): Promise<QueryOutcome[]> {
    const out: QueryOutcome[] = [];
    for (const item of items) {
      const days = [...new Set([beijingYmd(item.sentAfter), beijingYmd(this.opts.now())])];
      let answer: QueryOutcome = { messageId: item.messageId, found: false };
      for (const day of days) {
        const r = await this.call({
          Action: 'QuerySendDetails',
          PhoneNumber: national(item.to),
          SendDate: day,
          PageSize: '50',
          CurrentPage: '1',
          ...(item.providerMessageId ? { BizId: item.providerMessageId } : {}),
        });
        if (r.kind !== 'response' || r.res.status !== 200 || !isRecord(r.res.data) || r.res.data.Code !== 'OK') {
          answer = { messageId: item.messageId, found: 'unknown', reason: r.kind === 'response' ? `HTTP ${r.res.status}` : r.code };
          break;
        }
        const dtos = isRecord(r.res.data.SmsSendDetailDTOs) ? r.res.data.SmsSendDetailDTOs.SmsSendDetailDTO : undefined;
        if ((Array.isArray(dtos) ? dtos : []).some((d) => isRecord(d) && d.OutId === item.outId)) {
          answer = { messageId: item.messageId, found: true, providerMessageId: item.providerMessageId ?? null };
          break;
        }
      }
      out.push(answer);
    }
    return out;
  }

  verifyCallback(req: CallbackRequest): boolean {
    return verifyToken(req, this.cfg.callbackSecret);
  }

  /** SmsReport: a JSON array; `sms_size` is a string; times are Beijing without a zone. */
  parseReceipts(body: unknown): SmsReceipt[] {
    if (!Array.isArray(body)) throw new SmsPayloadError('SmsReport must be a JSON array');
    return body.map((r, i) => {
      if (!isRecord(r) || typeof r.phone_number !== 'string' || typeof r.success !== 'boolean') {
        throw new SmsPayloadError(`SmsReport[${i}]: phone_number and success are required`);
      }
      return {
        to: toE164(r.phone_number),
        providerMessageId: typeof r.biz_id === 'string' ? r.biz_id : undefined,
        outId: typeof r.out_id === 'string' ? r.out_id : undefined,
        delivered: r.success,
        code: typeof r.err_code === 'string' ? r.err_code : r.success ? 'DELIVERED' : 'UNKNOWN',
        at: beijingTime(r.report_time),
      };
    });
  }

  /** SmsUp: a JSON array; `sequence_id` is a number in the legacy doc, a string in the current one. */
  parseReplies(body: unknown): SmsInbound[] {
    if (!Array.isArray(body)) throw new SmsPayloadError('SmsUp must be a JSON array');
    return body.map((r, i) => {
      if (!isRecord(r) || typeof r.phone_number !== 'string' || typeof r.content !== 'string') {
        throw new SmsPayloadError(`SmsUp[${i}]: phone_number and content are required`);
      }
      const seq = typeof r.sequence_id === 'number' || typeof r.sequence_id === 'string' ? String(r.sequence_id) : '';
      const receivedAt = beijingTime(r.send_time) ?? new Date();
      const dedupKey = seq
        ? `seq:${seq}`
        : `h:${createHash('sha256')
            .update(`${r.phone_number}|${String(r.send_time)}|${r.content}`)
            .digest('hex')}`;
      return {
        dedupKey,
        from: toE164(r.phone_number),
        text: r.content,
        destCode: typeof r.dest_code === 'string' ? r.dest_code : undefined,
        receivedAt,
      };
    });
  }

  /** Only the template's declared variables (callers may pass more), all as strings. */
  private variables(item: SmsItem): Record<string, string> {
    const names = this.opts.paramOrder(item.template);
    return names.length ? Object.fromEntries(names.map((n) => [n, item.params[n] ?? ''])) : item.params;
  }

  private call(action: Record<string, string>) {
    const params: Record<string, string> = {
      ...action,
      Format: 'JSON',
      Version: '2017-05-25',
      AccessKeyId: this.cfg.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Timestamp: this.opts
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    };
    params.Signature = aliyunSignature('POST', params, this.cfg.accessKeySecret);
    const form = new URLSearchParams(params).toString();
    return callProvider(() =>
      this.http.post(this.cfg.endpoint, form, { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }),
    );
  }
}

/** Aliyun takes mainland numbers as 11 digits, international ones as country code + number. */
function national(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}

function outcomeOf(item: SmsItem, kind: 'retryable' | 'unknown', code: string, message: string): SendOutcome {
  return kind === 'unknown'
    ? { messageId: item.messageId, result: 'unknown', code, message }
    : { messageId: item.messageId, result: 'failed', failure: 'retryable', code, message };
}
