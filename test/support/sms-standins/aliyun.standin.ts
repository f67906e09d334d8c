import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beijingString, digits, PushResult, StandinBase } from './standin-base';

/**
 * Alibaba Cloud Dysmsapi (2017-05-25) stand-in. It checks the RPC signature the way the
 * gateway does (its own implementation, not the adapter's): common parameters present,
 * HMAC-SHA1, SignatureVersion 1.0, Timestamp within 15 minutes, nonce not reused, and
 * base64(HMAC-SHA1(secret + '&', METHOD&%2F&enc(sorted canonical query))). Faults answer
 * the POP gateway's error body ({RequestId, HostId, Code, Message, Recommend}).
 * Actions: SendSms, SendBatchSms (≤ 100, arrays must line up), QuerySendDetails.
 * Response shapes follow test/fixtures/sms/aliyun (SendSms: {Message, RequestId, Code, BizId}).
 */
export class AliyunStandin extends StandinBase {
  private readonly nonces = new Set<string>();

  constructor(
    readonly accessKeyId = 'LTAI-test-key',
    readonly accessKeySecret = 'aliyun-test-secret',
  ) {
    super();
  }

  protected handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const params: Record<string, string> = Object.fromEntries(u.searchParams);
    if (req.method === 'POST') Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    const fault = this.verify(req.method ?? 'GET', params);
    this.requests.push({ action: params.Action ?? '', verified: !fault, error: fault?.Code });
    if (fault) return this.json(res, fault.status, this.error(fault.Code, fault.Message));
    switch (params.Action) {
      case 'SendSms':
      case 'SendBatchSms':
        return this.send(params, res);
      case 'QuerySendDetails':
        return this.later(() => this.query(params, res));
      default:
        return this.json(res, 404, this.error('InvalidAction.NotFound', `Specified api is not found, please check your url and method.`));
    }
  }

  private send(p: Record<string, string>, res: ServerResponse): void {
    const mode = this.takeMode();
    const requestId = randomUUID().toUpperCase();
    if (mode === '500')
      return this.json(res, 500, this.error('InternalError', 'The request processing has failed due to some unknown error.'));
    // Per-number flow control: one code for minute, hour and day; the message says which.
    if (mode === 'throttle')
      return this.json(res, 200, { Message: '触发分钟级流控Permits:1', RequestId: requestId, Code: 'isv.BUSINESS_LIMIT_CONTROL' });
    if (mode === 'limit_hour')
      return this.json(res, 200, { Message: '触发小时级流控Permits:5', RequestId: requestId, Code: 'isv.BUSINESS_LIMIT_CONTROL' });
    if (mode === 'limit_day')
      return this.json(res, 200, { Message: '触发天级流控Permits:10', RequestId: requestId, Code: 'isv.BUSINESS_LIMIT_CONTROL' });
    let phones: string[];
    let templateParams: unknown[];
    try {
      if (p.Action === 'SendSms') {
        phones = (p.PhoneNumbers ?? '').split(',').filter(Boolean);
        templateParams = phones.map(() => (p.TemplateParam ? JSON.parse(p.TemplateParam) : {}));
      } else {
        phones = JSON.parse(p.PhoneNumberJson ?? '[]') as string[];
        const signs = JSON.parse(p.SignNameJson ?? '[]') as string[];
        templateParams = JSON.parse(p.TemplateParamJson ?? '[]') as unknown[];
        if (signs.length !== phones.length || (p.TemplateParamJson && templateParams.length !== phones.length)) {
          return this.json(res, 200, { Message: 'JSON arrays do not line up', RequestId: requestId, Code: 'isv.INVALID_PARAMETERS' });
        }
      }
    } catch {
      return this.json(res, 200, { Message: 'JSON参数不合法，只接受字符串值', RequestId: requestId, Code: 'isv.INVALID_JSON_PARAM' });
    }
    const max = p.Action === 'SendSms' ? 1000 : 100;
    if (!phones.length || phones.length > max)
      return this.json(res, 200, { Message: '参数超出最大数量', RequestId: requestId, Code: 'isv.MOBILE_COUNT_OVER_LIMIT' });
    if (phones.some((n) => !/^(\+?86|0086)?1\d{10}$/.test(n)))
      return this.json(res, 200, { Message: '手机号码格式错误', RequestId: requestId, Code: 'isv.MOBILE_NUMBER_ILLEGAL' });
    // A number at its daily limit refuses the whole request (Aliyun answers per request).
    if (phones.some((n) => this.dailyLimited.has(`+86${n.replace(/^(\+?86|0086)/, '')}`)))
      return this.json(res, 200, { Message: '触发天级流控Permits:10', RequestId: requestId, Code: 'isv.BUSINESS_LIMIT_CONTROL' });
    const bizId = `${digits(18)}^0`;
    const at = new Date();
    phones.forEach((n, i) =>
      this.sends.push({
        to: `+86${n.replace(/^(\+?86|0086)/, '')}`,
        outId: p.OutId ?? '',
        providerMessageId: bizId,
        template: p.TemplateCode,
        params: templateParams[i],
        at,
      }),
    );
    if (mode === 'timeout') return this.hang(res); // it left; the answer never comes
    this.json(res, 200, { Message: 'OK', RequestId: requestId, Code: 'OK', BizId: bizId });
  }

  private query(p: Record<string, string>, res: ServerResponse): void {
    const phone = `+86${(p.PhoneNumber ?? '').replace(/^(\+?86|0086)/, '')}`;
    const hits = this.sends.filter(
      (s) =>
        s.to === phone &&
        beijingString(s.at).slice(0, 10).replace(/-/g, '') === p.SendDate &&
        (!p.BizId || s.providerMessageId === p.BizId),
    );
    this.json(res, 200, {
      TotalCount: hits.length,
      Message: 'OK',
      RequestId: randomUUID().toUpperCase(),
      SmsSendDetailDTOs: {
        SmsSendDetailDTO: hits.map((s) => ({
          SendDate: beijingString(s.at),
          SendStatus: 3,
          ReceiveDate: beijingString(s.at),
          ErrCode: 'DELIVERED',
          TemplateCode: s.template,
          Content: '',
          PhoneNum: phone.slice(3),
          OutId: s.outId,
        })),
      },
      Code: 'OK',
    });
  }

  private verify(method: string, p: Record<string, string>): { status: number; Code: string; Message: string } | null {
    for (const k of [
      'AccessKeyId',
      'Action',
      'Format',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'Timestamp',
      'Version',
      'Signature',
    ]) {
      if (!p[k]) return { status: 400, Code: `MissingParameter`, Message: `${k} is mandatory for this action.` };
    }
    if (p.AccessKeyId !== this.accessKeyId)
      return { status: 404, Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' };
    if (p.SignatureMethod !== 'HMAC-SHA1' || p.SignatureVersion !== '1.0') {
      return { status: 400, Code: 'IncompleteSignature', Message: 'The request signature does not conform to Aliyun standards.' };
    }
    if (p.Version !== '2017-05-25') return { status: 400, Code: 'InvalidVersion', Message: 'Specified parameter Version is not valid.' };
    const ts = Date.parse(p.Timestamp);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(p.Timestamp) || Math.abs(Date.now() - ts) > 15 * 60_000) {
      return { status: 400, Code: 'InvalidTimeStamp.Expired', Message: 'Specified time stamp or date value is expired.' };
    }
    const expected = createHmac('sha1', `${this.accessKeySecret}&`).update(stringToSign(method, p)).digest('base64');
    if (expected !== p.Signature) {
      return {
        status: 400,
        Code: 'SignatureDoesNotMatch',
        Message: `Specified signature is not matched with our calculation. server string to sign is:${stringToSign(method, p)}`,
      };
    }
    if (this.nonces.has(p.SignatureNonce))
      return { status: 400, Code: 'SignatureNonceUsed', Message: 'Specified signature nonce was used already.' };
    this.nonces.add(p.SignatureNonce);
    return null;
  }

  private error(code: string, message: string): Record<string, string> {
    return {
      RequestId: randomUUID().toUpperCase(),
      HostId: 'dysmsapi.aliyuncs.com',
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${code}`,
    };
  }

  /** SmsReport push (a JSON array) for recorded sends, to `url` (our webhook, token included). */
  pushReports(url: string, sends = this.sends, success = true): Promise<PushResult> {
    return StandinBase.push(
      url,
      sends.map((s) => this.report(s, success)),
    );
  }

  report(s: { to: string; providerMessageId: string; outId: string; at: Date }, success = true): Record<string, unknown> {
    return {
      phone_number: s.to.replace(/^\+86/, ''),
      send_time: beijingString(s.at),
      report_time: beijingString(new Date()),
      success,
      err_code: success ? 'DELIVERED' : 'MK:0001',
      err_msg: success ? '用户接收成功' : '用户停机',
      sms_size: '1',
      biz_id: s.providerMessageId,
      out_id: s.outId,
    };
  }

  /** SmsUp push; `legacy` uses the legacy doc's numeric sequence_id and sign_name. */
  pushReply(
    url: string,
    from: string,
    content: string,
    opts: { sequenceId?: number; legacy?: boolean; destCode?: string } = {},
  ): Promise<PushResult> {
    const seq = opts.sequenceId ?? Number(digits(9));
    const entry: Record<string, unknown> = {
      phone_number: from.replace(/^\+86/, ''),
      send_time: beijingString(new Date()),
      content,
      dest_code: opts.destCode ?? '1234',
      sequence_id: opts.legacy ? seq : String(seq),
    };
    if (opts.legacy) entry.sign_name = '临海防汛';
    return StandinBase.push(url, [entry]);
  }
}

/** RFC 3986 encoding written out character by character (independent of the adapter's). */
function enc(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function stringToSign(method: string, p: Record<string, string>): string {
  const query = Object.entries(p)
    .filter(([k]) => k !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
  return `${method}&${enc('/')}&${enc(query)}`;
}
