import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beijingString, digits, PushResult, StandinBase } from './standin-base';

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const hmac = (k: string | Buffer, s: string): Buffer => createHmac('sha256', k).update(s).digest();

/**
 * Tencent Cloud SMS (2021-01-11) stand-in. Verifies TC3-HMAC-SHA256 as the API gateway does
 * (own implementation): parses Authorization, rebuilds the canonical request from the headers
 * listed in SignedHeaders (content-type and host required), checks the credential date, the
 * X-TC-Timestamp (±5 min) and the signature. Faults come as HTTP 200 {"Response":{"Error":…}}.
 * SendSms answers per number in SendStatusSet (fixture shapes, quirks kept: Code "Ok", failed
 * entries with Fee 0, SerialNo "", IsoCode "", and the misspelt template code on the second
 * failing entry); PullSmsSendStatusByPhoneNumber returns status records of what it sent.
 */
export class TencentStandin extends StandinBase {
  /** Template id → number of approved parameters (a mismatch fails like the official example). */
  readonly templateParamCounts = new Map<string, number>();

  constructor(
    readonly secretId = 'AKID-test',
    readonly secretKey = 'tencent-test-secret',
    readonly smsSdkAppId = '1400006666',
  ) {
    super();
  }

  protected handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const action = String(req.headers['x-tc-action'] ?? '');
    const fault = this.verify(req, body);
    this.requests.push({ action, verified: !fault, error: fault?.Code });
    if (fault) return this.json(res, 200, { Response: { Error: fault, RequestId: randomUUID() } });
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return this.json(res, 200, this.err('FailedOperation.JsonParseFail', '解析请求包体时候失败。'));
    }
    if (action === 'SendSms') return this.send(p, res);
    if (action === 'PullSmsSendStatusByPhoneNumber') return this.later(() => this.pull(p, res));
    this.json(res, 200, this.err('InvalidAction', `接口${action}不存在。`));
  }

  private send(p: Record<string, unknown>, res: ServerResponse): void {
    const mode = this.takeMode();
    if (mode === '500') {
      res.writeHead(500, { 'content-type': 'text/html' });
      return void res.end('<html><body>500 Internal Server Error</body></html>');
    }
    if (mode === 'throttle') return this.json(res, 200, this.err('RequestLimitExceeded', '请求的次数超过了频率限制。'));
    if (p.SmsSdkAppId !== this.smsSdkAppId) return this.json(res, 200, this.err('FailedOperation.SdkAppIdNotExist', 'SdkAppId不存在。'));
    const phones = Array.isArray(p.PhoneNumberSet) ? p.PhoneNumberSet.map(String) : [];
    if (!phones.length || phones.length > 200)
      return this.json(res, 200, this.err('LimitExceeded.PhoneNumberCountLimit', '单次提交号码数超过200个。'));
    const templateId = String(p.TemplateId ?? '');
    const paramSet = Array.isArray(p.TemplateParamSet) ? p.TemplateParamSet : [];
    const expected = this.templateParamCounts.get(templateId);
    const session = typeof p.SessionContext === 'string' ? p.SessionContext : '';
    const at = new Date();
    let mismatches = 0;
    const before = this.sends.length;
    const set = phones.map((phone) => {
      if (!/^\+861\d{10}$/.test(phone)) return this.failed(phone, 'InvalidParameterValue.IncorrectPhoneNumber', '手机号格式错误。');
      // Per-number limits come per entry of SendStatusSet.
      if (mode === 'limit_day' || this.dailyLimited.has(phone))
        return this.failed(phone, 'LimitExceeded.PhoneNumberDailyLimit', '单个手机号日下发短信条数超过设定的上限。');
      if (mode === 'limit_hour')
        return this.failed(phone, 'LimitExceeded.PhoneNumberOneHourLimit', '单个手机号1小时内下发短信条数超过设定的上限。');
      if (expected !== undefined && expected !== paramSet.length) {
        // The official failure example spells the code without its final "e" on the second entry.
        const code =
          mismatches++ % 2 === 1
            ? 'FailedOperation.TemplateParamSetNotMatchApprovedTemplat'
            : 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate';
        return this.failed(phone, code, 'request content does not match the template content');
      }
      const serial = `5000:${digits(28)}`;
      this.sends.push({ to: phone, outId: session, providerMessageId: serial, template: templateId, params: paramSet, at });
      return { SerialNo: serial, PhoneNumber: phone, Fee: 1, SessionContext: session, Code: 'Ok', Message: 'send success', IsoCode: 'CN' };
    });
    const answer = (): void =>
      mode === 'timeout' ? this.hang(res) : this.json(res, 200, { Response: { SendStatusSet: set, RequestId: randomUUID() } });
    const early = this.earlyReceipts;
    if (!early) return answer();
    // The carrier's report overtakes the API answer: the status callback first, then the answer (or none).
    void this.pushStatus(early.url, this.sends.slice(before), early.success).then(answer, answer);
  }

  private failed(phone: string, code: string, message: string): Record<string, unknown> {
    return { SerialNo: '', PhoneNumber: phone, Fee: 0, SessionContext: '', Code: code, Message: message, IsoCode: '' };
  }

  private pull(p: Record<string, unknown>, res: ServerResponse): void {
    const from = Number(p.BeginTime) * 1000;
    const to = p.EndTime === undefined ? Infinity : Number(p.EndTime) * 1000;
    const hits = this.sends.filter((s) => s.to === p.PhoneNumber && s.at.getTime() >= from && s.at.getTime() <= to);
    this.json(res, 200, {
      Response: {
        PullSmsSendStatusSet: hits.map((s) => ({
          Description: 'DELIVRD',
          CountryCode: '86',
          SubscriberNumber: s.to.slice(3),
          ReportStatus: 'SUCCESS',
          PhoneNumber: s.to,
          SerialNo: s.providerMessageId,
          UserReceiveTime: Math.floor(s.at.getTime() / 1000),
        })),
        RequestId: randomUUID(),
      },
    });
  }

  private verify(req: IncomingMessage, body: Buffer): { Code: string; Message: string } | null {
    const auth = String(req.headers.authorization ?? '');
    const m =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) return { Code: 'AuthFailure.InvalidAuthorization', Message: 'Authorization 不符合腾讯云标准。' };
    const [, secretId, date, service, signedHeaders, signature] = m;
    if (secretId !== this.secretId) return { Code: 'AuthFailure.SecretIdNotFound', Message: '密钥不存在。' };
    const ts = Number(req.headers['x-tc-timestamp']);
    if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > 300)
      return { Code: 'AuthFailure.SignatureExpire', Message: '签名过期。' };
    if (new Date(ts * 1000).toISOString().slice(0, 10) !== date)
      return { Code: 'AuthFailure.SignatureFailure', Message: 'Credential 日期与时间戳不符。' };
    const names = signedHeaders.split(';');
    if (!names.includes('content-type') || !names.includes('host'))
      return { Code: 'AuthFailure.SignatureFailure', Message: 'content-type 和 host 必须参与签名。' };
    const canonicalHeaders = names
      .map(
        (n) =>
          `${n}:${String(req.headers[n] ?? '')
            .trim()
            .toLowerCase()}\n`,
      )
      .join('');
    const u = new URL(req.url ?? '/', 'http://x');
    const canonical = [req.method, u.pathname, u.search.replace(/^\?/, ''), canonicalHeaders, signedHeaders, sha256(body)].join('\n');
    const toSign = ['TC3-HMAC-SHA256', String(ts), `${date}/${service}/tc3_request`, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(`TC3${this.secretKey}`, date), service), 'tc3_request');
    if (createHmac('sha256', key).update(toSign).digest('hex') !== signature) {
      return {
        Code: 'AuthFailure.SignatureFailure',
        Message: 'The provided credentials could not be validated. Please check your signature is correct.',
      };
    }
    return null;
  }

  private err(code: string, message: string): unknown {
    return { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } };
  }

  /** Status callback push: a JSON array; `sid` is the SerialNo. */
  pushStatus(url: string, sends = this.sends, success = true): Promise<PushResult> {
    return StandinBase.push(
      url,
      sends.map((s) => ({
        user_receive_time: beijingString(new Date()),
        nationcode: '86',
        mobile: s.to.replace(/^\+86/, ''),
        report_status: success ? 'SUCCESS' : 'FAIL',
        errmsg: success ? 'DELIVRD' : 'MK:0001',
        description: success ? '用户短信送达成功' : '用户停机',
        sid: s.providerMessageId,
      })),
    );
  }

  /** Reply callback push: ONE object, `time` Unix seconds as a number. */
  pushReply(url: string, from: string, text: string, time = Math.floor(Date.now() / 1000)): Promise<PushResult> {
    return StandinBase.push(url, { extend: '', mobile: from.replace(/^\+86/, ''), nationcode: '86', sign: '临海防汛', text, time });
  }
}
