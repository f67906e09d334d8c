import { createHash } from 'node:crypto';
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
import { classifyTencent } from './error-codes';
import { failAll, ProviderOptions, refuseFake } from './provider-common';
import { beijingTime, callProvider, HttpResult, isRecord, providerAxios, toE164 } from './provider-http';
import { tc3Authorization } from './signing';

type TencentConfig = Extract<SmsProviderConfig, { kind: 'tencent' }>;

/**
 * Tencent Cloud SMS, API 2021-01-11, TC3-HMAC-SHA256 signed JSON POSTs. SendSms takes ≤ 200
 * E.164 numbers but ONE TemplateParamSet, so only messages with equal variables share a request
 * (groupKey). HTTP 200 and a RequestId mean nothing: each SendStatusSet entry's Code must be
 * "Ok"; whole-request faults come as Response.Error.
 */
export class TencentSmsProvider implements SmsProvider {
  readonly kind = 'tencent' as const;
  readonly name: string;
  readonly maxBatch: number;
  readonly callbackAck = { result: 0, errmsg: 'OK' };
  private readonly http: AxiosInstance;
  private readonly host: string;

  constructor(
    private readonly cfg: TencentConfig,
    private readonly opts: ProviderOptions,
  ) {
    this.name = cfg.name;
    this.maxBatch = Math.min(cfg.maxBatch ?? 200, 200);
    this.http = providerAxios(cfg.timeoutMs);
    this.host = new URL(cfg.endpoint).host;
  }

  groupKey(item: SmsItem): string {
    return `${item.template}\u0000${JSON.stringify(this.paramSet(item))}`;
  }

  async send(batch: SmsBatch): Promise<SendOutcome[]> {
    const [fake, items] = refuseFake(batch.items, this.opts.fakePrefix);
    if (!items.length) return fake;
    const templateId = this.cfg.templates[batch.template];
    if (!templateId) return [...fake, ...failAll(items, 'permanent', 'NO_TEMPLATE_ID', `no Tencent template id for ${batch.template}`)];
    const r = await this.call('SendSms', {
      PhoneNumberSet: items.map((i) => i.to),
      SmsSdkAppId: this.cfg.smsSdkAppId,
      SignName: this.cfg.signName,
      TemplateId: templateId,
      TemplateParamSet: this.paramSet(items[0]),
      SessionContext: batch.outId,
    });
    if (r.kind === 'not_sent') return [...fake, ...failAll(items, 'retryable', r.code, r.message)];
    if (r.kind === 'unknown') return [...fake, ...items.map((i) => unknown(i, r.code, r.message))];
    const { status, data } = r.res;
    if (status >= 500) return [...fake, ...items.map((i) => unknown(i, `HTTP_${status}`, `HTTP ${status}`))];
    if (status === 429) return [...fake, ...failAll(items, 'throttled', 'HTTP_429', 'HTTP 429')];
    const resp = isRecord(data) && isRecord(data.Response) ? data.Response : undefined;
    if (!resp) return [...fake, ...failAll(items, 'retryable', `HTTP_${status}`, 'no Response envelope')];
    if (isRecord(resp.Error)) {
      const code = String(resp.Error.Code ?? 'UnknownError');
      return [...fake, ...failAll(items, classifyTencent(code), code, String(resp.Error.Message ?? ''))];
    }
    const set = Array.isArray(resp.SendStatusSet) ? resp.SendStatusSet.filter(isRecord) : [];
    const byPhone = new Map(set.map((s) => [String(s.PhoneNumber), s]));
    return [
      ...fake,
      ...items.map((i): SendOutcome => {
        const s = byPhone.get(i.to);
        if (!s) return unknown(i, 'NO_STATUS', 'number missing from SendStatusSet');
        const code = String(s.Code ?? '');
        if (code === 'Ok') return { messageId: i.messageId, result: 'accepted', providerMessageId: String(s.SerialNo) };
        return { messageId: i.messageId, result: 'failed', failure: classifyTencent(code), code, message: String(s.Message ?? '') };
      }),
    ];
  }

  /**
   * PullSmsSendStatusByPhoneNumber from the attempt's start. Tencent's status records do not
   * echo SessionContext, so a record for the number after the attempt began (or with our
   * SerialNo, when we have it) counts as "it left". Records appear once the carrier reports.
   */
  async query(items: SmsQueryItem[]): Promise<QueryOutcome[]> {
    const out: QueryOutcome[] = [];
    for (const item of items) {
      const r = await this.call('PullSmsSendStatusByPhoneNumber', {
        BeginTime: Math.floor(item.sentAfter.getTime() / 1000) - 60,
        EndTime: Math.floor(this.opts.now().getTime() / 1000) + 60,
        Offset: 0,
        Limit: 100,
        PhoneNumber: item.to,
        SmsSdkAppId: this.cfg.smsSdkAppId,
      });
      const resp =
        r.kind === 'response' && r.res.status === 200 && isRecord(r.res.data) && isRecord(r.res.data.Response)
          ? r.res.data.Response
          : undefined;
      if (!resp || isRecord(resp.Error)) {
        out.push({
          messageId: item.messageId,
          found: 'unknown',
          reason: resp ? String((resp.Error as Record<string, unknown>).Code) : 'no answer',
        });
        continue;
      }
      const set = Array.isArray(resp.PullSmsSendStatusSet) ? resp.PullSmsSendStatusSet.filter(isRecord) : [];
      const hit = set.find((s) => (item.providerMessageId ? s.SerialNo === item.providerMessageId : s.PhoneNumber === item.to));
      out.push(
        hit
          ? { messageId: item.messageId, found: true, providerMessageId: String(hit.SerialNo) }
          : { messageId: item.messageId, found: false },
      );
    }
    return out;
  }

  verifyCallback(req: CallbackRequest): boolean {
    return verifyToken(req, this.cfg.callbackSecret);
  }

  /** Status callback: a JSON array; `sid` is the SerialNo of the send; times are Beijing strings. */
  parseReceipts(body: unknown): SmsReceipt[] {
    if (!Array.isArray(body)) throw new SmsPayloadError('status callback must be a JSON array');
    return body.map((r, i) => {
      if (!isRecord(r) || typeof r.mobile !== 'string' || typeof r.report_status !== 'string') {
        throw new SmsPayloadError(`status[${i}]: mobile and report_status are required`);
      }
      return {
        to: toE164(r.mobile, typeof r.nationcode === 'string' ? r.nationcode : '86'),
        providerMessageId: typeof r.sid === 'string' ? r.sid : undefined,
        delivered: r.report_status === 'SUCCESS',
        code: typeof r.errmsg === 'string' ? r.errmsg : r.report_status,
        at: beijingTime(r.user_receive_time),
      };
    });
  }

  /** Reply callback: ONE object (not an array); `time` is Unix seconds as a number. */
  parseReplies(body: unknown): SmsInbound[] {
    const list = Array.isArray(body) ? body : [body];
    return list.map((r, i) => {
      if (!isRecord(r) || typeof r.mobile !== 'string' || typeof r.text !== 'string') {
        throw new SmsPayloadError(`reply[${i}]: mobile and text are required`);
      }
      const time = typeof r.time === 'number' ? r.time : Number(r.time);
      const receivedAt = Number.isFinite(time) && time > 0 ? new Date(time * 1000) : new Date();
      const nation = typeof r.nationcode === 'string' ? r.nationcode : '86';
      const dedup = createHash('sha256')
        .update(`${nation}|${r.mobile}|${String(r.time)}|${r.text}|${String(r.extend ?? '')}`)
        .digest('hex');
      return {
        dedupKey: `h:${dedup}`,
        from: toE164(r.mobile, nation),
        text: r.text,
        destCode: typeof r.extend === 'string' ? r.extend : undefined,
        receivedAt,
      };
    });
  }

  private paramSet(item: SmsItem): string[] {
    return this.opts.paramOrder(item.template).map((p) => item.params[p] ?? '');
  }

  private call(action: string, body: Record<string, unknown>): Promise<HttpResult> {
    const payload = JSON.stringify(body);
    const timestamp = Math.floor(this.opts.now().getTime() / 1000);
    const authorization = tc3Authorization({
      secretId: this.cfg.secretId,
      secretKey: this.cfg.secretKey,
      service: 'sms',
      host: this.host,
      action,
      payload,
      timestamp,
    });
    return callProvider(() =>
      this.http.post(this.cfg.endpoint, payload, {
        headers: {
          Authorization: authorization,
          'Content-Type': 'application/json; charset=utf-8',
          Host: this.host,
          'X-TC-Action': action,
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Version': '2021-01-11',
          'X-TC-Region': this.cfg.region,
        },
        transformRequest: [(d: unknown) => d],
      }),
    );
  }
}

function unknown(item: SmsItem, code: string, message: string): SendOutcome {
  return { messageId: item.messageId, result: 'unknown', code, message };
}
