/**
 * Bench: the SMS sender while a provider's status look-ups are slow. 500 messages are left
 * `sending` with unknown outcomes (half of them really left: the Aliyun stand-in holds their
 * OutId), QuerySendDetails answers in 1.5 s, 2,000 public-warning messages wait in the queue,
 * and after 1 s a 5-person wake-up order is queued. The worker's own sender loop
 * (SmsJobsModule) runs as in production. Prints how long the 5 fresh messages took to leave,
 * public msgs/s while the look-ups run, when the unknown outcomes were settled, look-ups made,
 * and whether any number got two messages. Stops after BENCH_SMS_LIMIT_S (default 90) seconds.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/notify/slow-query-sms.ts
 *   BENCH_SMS_UNKNOWN=500 BENCH_SMS_PUBLIC=2000 BENCH_SMS_QUERY_MS=1500 BENCH_SMS_LIMIT_S=90
 *
 * Database: `fangxun_bench_sms_slow`, created afresh, dropped at the end.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig, ConfigModule, loadConfig } from '@fangxun/config';
import { EnqueueInput, SmsJobsModule, SmsService } from '@fangxun/notify';
import { PlatformModule, prepareDatabase } from '@fangxun/platform';
import { AliyunStandin } from '../../test/support/sms-standins';
import { useFreshBenchDatabase } from '../support/bench-db';

const DB = 'fangxun_bench_sms_slow';
const UNKNOWN = Number(process.env.BENCH_SMS_UNKNOWN ?? 500);
const PUBLIC = Number(process.env.BENCH_SMS_PUBLIC ?? 2000);
const QUERY_MS = Number(process.env.BENCH_SMS_QUERY_MS ?? 1500);
const LIMIT_S = Number(process.env.BENCH_SMS_LIMIT_S ?? 90);

const line = (k: string, v: string): void => void process.stdout.write(`${k.padEnd(30)}${v}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function count(ds: DataSource, where: string): Promise<number> {
  const [{ n }] = await ds.query(`select count(*)::int as n from sms_messages where ${where}`);
  return n;
}

async function main(): Promise<void> {
  const db = await useFreshBenchDatabase(DB);
  const aliyun = await new AliyunStandin().start();
  aliyun.queryDelayMs = QUERY_MS;
  const base = loadConfig();
  const config: AppConfig = {
    ...base,
    sms: {
      ...base.sms,
      providers: [
        {
          name: 'aliyun',
          kind: 'aliyun',
          enabled: true,
          endpoint: aliyun.url,
          accessKeyId: aliyun.accessKeyId,
          accessKeySecret: aliyun.accessKeySecret,
          signName: '临海防汛',
          templates: { public_warning: 'SMS_P0001', wakeup_order: 'SMS_W0001' },
          timeoutMs: 5000,
          ratePerSecond: 500,
          burst: 100,
        },
      ],
      chain: ['aliyun'],
      sender: { ...base.sms.sender, enabled: true, intervalMs: 200 },
      dailyCapPerNumber: 50,
    },
  };
  @Module({ imports: [ConfigModule.forRoot(config), PlatformModule, SmsJobsModule] })
  class BenchModule {}
  // Schema first, with the loop off, so the scene is set before the sender starts.
  const setup = await NestFactory.createApplicationContext(
    (() => {
      @Module({
        imports: [
          ConfigModule.forRoot({ ...config, sms: { ...config.sms, sender: { ...config.sms.sender, enabled: false } } }),
          PlatformModule,
          SmsJobsModule,
        ],
      })
      class SetupModule {}
      return SetupModule;
    })(),
    { logger: false },
  );
  await prepareDatabase(setup);
  const ds = setup.get<DataSource>(getDataSourceToken());
  const sms = setup.get(SmsService);
  let app: INestApplicationContext | null = null;
  try {
    const msg = (i: number, prefix: string, purpose: 'public' | 'wakeup', key: string): EnqueueInput => ({
      to: `${prefix}${String(i).padStart(8, '0')}`,
      template: purpose === 'public' ? 'public_warning' : 'wakeup_order',
      params: (purpose === 'public'
        ? { issuer: '临海市防汛防台抗旱指挥部', kind: '台风', level: '红色', summary: '请立即转移' }
        : { order: '立即转移岭根村危险区群众', name: '王五', link: 'https://fx.example/a/x' }) as Record<string, string>,
      purpose,
      refType: purpose === 'public' ? 'warning' : 'wakeup_call',
      refId: key,
      idempotencyKey: key,
    });
    await ds.transaction((m) =>
      sms.enqueueMany(m, [
        ...Array.from({ length: UNKNOWN }, (_, i) => msg(i, '+86136', 'public', `unknown-${i}`)),
        ...Array.from({ length: PUBLIC }, (_, i) => msg(i, '+86137', 'public', `public-${i}`)),
      ]),
    );
    // The unknown outcomes: sent by a sender that died (or timed out) before the answer came.
    const orphans: Array<{ id: string; to: string; out_id: string }> = await ds.query(
      `with u as (update sms_messages set status = 'sending', attempt = 1, provider = 'aliyun', out_id = md5(id::text), sending_at = now(),
         claim_token = gen_random_uuid(), lease_until = now() - interval '1 second'
       where idempotency_key like 'unknown-%' returning id, to_phone as "to", out_id) select * from u`,
    );
    orphans
      .filter((_, i) => i % 2 === 0)
      .forEach((o) =>
        aliyun.sends.push({ to: o.to, outId: o.out_id, providerMessageId: `${o.id}^0`, template: 'SMS_P0001', params: {}, at: new Date() }),
      );

    const t0 = performance.now();
    app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
    await sleep(1000);
    const tFresh = performance.now();
    await ds.transaction((m) =>
      sms.enqueueMany(
        m,
        Array.from({ length: 5 }, (_, i) => msg(i, '+86135', 'wakeup', `fresh-${i}`)),
      ),
    );
    let freshS: number | null = null;
    let publicS: number | null = null;
    let unknownS: number | null = null;
    while ((performance.now() - t0) / 1000 < LIMIT_S && (freshS === null || publicS === null || unknownS === null)) {
      const now = performance.now();
      if (freshS === null && (await count(ds, `idempotency_key like 'fresh-%' and status = 'sent'`)) === 5) freshS = (now - tFresh) / 1000;
      if (publicS === null && (await count(ds, `idempotency_key like 'public-%' and status = 'sent'`)) === PUBLIC)
        publicS = (now - t0) / 1000;
      if (unknownS === null && (await count(ds, `idempotency_key like 'unknown-%' and status in ('queued', 'sending')`)) === 0)
        unknownS = (now - t0) / 1000;
      await sleep(100);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const sentPublic = await count(ds, `idempotency_key like 'public-%' and status = 'sent'`);
    const perNumber = new Map<string, number>();
    aliyun.sends.forEach((s) => perNumber.set(s.to, (perNumber.get(s.to) ?? 0) + 1));
    const doubled = [...perNumber.values()].filter((n) => n > 1).length;
    const fmt = (s: number | null): string => (s === null ? `not within ${LIMIT_S} s` : `${s.toFixed(2)} s`);
    line('setting', `${UNKNOWN} unknown outcomes, QuerySendDetails ${QUERY_MS} ms, ${PUBLIC} public queued`);
    line('fresh 5-person order latency', fmt(freshS));
    line('public queue drained', fmt(publicS));
    const rate = sentPublic / (publicS ?? elapsed);
    line(
      'public throughput',
      `${Math.round(rate)} msgs/s (${sentPublic}/${PUBLIC} sent; ${(rate / 500).toFixed(2)} × the configured 500/s)`,
    );
    line('unknown outcomes settled', fmt(unknownS));
    line('look-ups (QuerySendDetails)', `${aliyun.queries()} for ${UNKNOWN} unknown outcomes`);
    line('numbers sent twice', `${doubled}`);
  } finally {
    // The old sender can hold a pass for minutes: do not wait for it.
    void app?.close();
    await setup.close();
    await aliyun.stop();
    await db.drop();
    process.exit(0);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
