import type { DataSource } from 'typeorm';
import { AppConfig, loadConfig, SmsConfig } from '@fangxun/config';
import { SmsProviders, SmsSender, SmsService } from '@fangxun/notify';
import { API_PREFIX } from '@fangxun/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { bootCustom, CustomApp } from '../support/app';
import { AliyunStandin, GenericStandin, TencentStandin } from '../support/sms-standins';

export const TOKENS = { aliyun: 'aliyun-callback-token-0123456', tencent: 'tencent-callback-token-0123456' };

export interface Standins {
  aliyun: AliyunStandin;
  tencent: TencentStandin;
  generic: GenericStandin;
}

export async function startStandins(): Promise<Standins> {
  return {
    aliyun: await new AliyunStandin().start(),
    tencent: await new TencentStandin().start(),
    generic: await new GenericStandin().start(),
  };
}

export async function stopStandins(s: Standins): Promise<void> {
  await Promise.all([s.aliyun.stop(), s.tencent.stop(), s.generic.stop()]);
}

/** The suite's config with the SMS providers pointed at the stand-ins and test-sized timings. */
export function smsTestConfig(s: Standins, over: Partial<SmsConfig> = {}, senderOver: Partial<SmsConfig['sender']> = {}): AppConfig {
  const base = loadConfig();
  const templates = { rainstorm: 'R', wakeup_order: 'W', escalation: 'E', public_warning: 'P' };
  const sms: SmsConfig = {
    ...base.sms,
    providers: [
      {
        name: 'aliyun',
        kind: 'aliyun',
        enabled: true,
        endpoint: s.aliyun.url,
        accessKeyId: s.aliyun.accessKeyId,
        accessKeySecret: s.aliyun.accessKeySecret,
        signName: '临海防汛',
        templates: Object.fromEntries(Object.entries(templates).map(([k, v]) => [k, `SMS_${v}0001`])),
        timeoutMs: 400,
        ratePerSecond: 100_000,
        burst: 100_000,
        callbackSecret: TOKENS.aliyun,
      },
      {
        name: 'tencent',
        kind: 'tencent',
        enabled: true,
        endpoint: s.tencent.url,
        secretId: s.tencent.secretId,
        secretKey: s.tencent.secretKey,
        region: 'ap-guangzhou',
        smsSdkAppId: s.tencent.smsSdkAppId,
        signName: '临海防汛',
        templates: Object.fromEntries(Object.entries(templates).map(([k], i) => [k, String(100001 + i)])),
        timeoutMs: 400,
        ratePerSecond: 100_000,
        burst: 100_000,
        callbackSecret: TOKENS.tencent,
      },
      {
        name: 'generic',
        kind: 'generic',
        enabled: true,
        endpoint: s.generic.url,
        requestSecret: s.generic.requestSecret,
        callbackSecret: s.generic.callbackSecret,
        timeoutMs: 400,
        ratePerSecond: 100_000,
        burst: 100_000,
      },
      { name: 'sandbox', kind: 'sandbox', enabled: true, timeoutMs: 400, ratePerSecond: 100_000, burst: 100_000 },
    ],
    chain: ['aliyun', 'tencent'],
    sender: {
      enabled: false,
      intervalMs: 50,
      claimLimit: 100,
      recoveryClaimLimit: 100,
      queryConcurrency: 16,
      recoveryPassSeconds: 30,
      leaseSeconds: 30,
      maxAttempts: 4,
      backoffBaseMs: 1,
      backoffMaxMs: 5,
      unknownGiveUpSeconds: 600,
      ...senderOver,
    },
    ...over,
  };
  return { ...base, sms };
}

export interface SmsApp {
  app: CustomApp['app'];
  ds: DataSource;
  sms: SmsService;
  sender: SmsSender;
  providers: SmsProviders;
  /** http://127.0.0.1:port/api/v1 of the listening app (providers push there). */
  base: string;
  close(): Promise<void>;
}

/** The real API (SMS module included) on this worker's database, listening, with `config`. */
export async function bootSms(config: AppConfig): Promise<SmsApp> {
  const { app, ds, url, close } = await bootCustom({ imports: [ApiModule], config, listen: true });
  return {
    app,
    ds,
    sms: app.get(SmsService),
    sender: app.get(SmsSender),
    providers: app.get(SmsProviders),
    base: `${url}/${API_PREFIX}`,
    close,
  };
}

export async function resetSms(ds: DataSource): Promise<void> {
  await ds.query(
    'truncate sms_replies, sms_early_receipts, sms_messages, sms_daily_counts, outbox_deliveries, outbox_events, outbox_consumers restart identity cascade',
  );
}

export async function enqueue(a: SmsApp, to: string, key: string, over: Partial<Parameters<SmsService['enqueue']>[1]> = {}) {
  return a.ds.transaction((m) =>
    a.sms.enqueue(m, {
      to,
      template: 'wakeup_order',
      params: { order: '立即转移岭根村危险区群众', name: '王五', link: `https://fx.example/a/${key}` },
      purpose: 'wakeup',
      refType: 'wakeup_call',
      refId: key,
      idempotencyKey: key,
      ...over,
    }),
  );
}

export async function events(ds: DataSource, topic: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<{ payload: Record<string, unknown> }> = await ds.query(
    'select payload from outbox_events where topic = $1 order by id',
    [topic],
  );
  return rows.map((r) => r.payload);
}

export async function statusOf(ds: DataSource, id: string): Promise<Record<string, unknown>> {
  const [row] = await ds.query(
    'select status, attempt, provider, out_id as "outId", provider_message_id as "pmid", error_code as "errorCode" from sms_messages where id = $1',
    [id],
  );
  return row;
}
