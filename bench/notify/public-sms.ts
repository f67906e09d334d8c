/**
 * Bench: a public warning to 25,000 numbers. SmsService.enqueueMany puts them in the queue in
 * one transaction (INSERT … SELECT FROM unnest, 5,000 rows a statement, daily caps counted),
 * then the sender drains the queue through the Aliyun stand-in (test/support/sms-standins:
 * real RPC signatures checked, SendBatchSms of 100) at the configured per-provider rate.
 * Two sender loops run at once, as two workers would. Prints the enqueue time, the drain time,
 * msgs/s against the configured rate, requests made and whether every number got exactly one.
 *
 *   npx ts-node -T -r tsconfig-paths/register bench/notify/public-sms.ts
 *   BENCH_SMS_N=25000 BENCH_SMS_RATE=2000 (msgs/s, token bucket per sender) BENCH_SMS_SENDERS=2
 *
 * Database: `fangxun_bench_sms` on the server of DATABASE_URL / .data/db.env, created afresh
 * and migrated, dropped at the end (KEEP_BENCH_DB=1 keeps it).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig, ConfigModule, loadConfig } from '@fangxun/config';
import { SmsModule, SmsSender, SmsService } from '@fangxun/notify';
import { PlatformModule, prepareDatabase } from '@fangxun/platform';
import { AliyunStandin } from '../../test/support/sms-standins';
import { useFreshBenchDatabase } from '../support/bench-db';

const DB = 'fangxun_bench_sms';
const N = Number(process.env.BENCH_SMS_N ?? 25_000);
const RATE = Number(process.env.BENCH_SMS_RATE ?? 2000);
const SENDERS = Number(process.env.BENCH_SMS_SENDERS ?? 2);

async function main(): Promise<void> {
  const db = await useFreshBenchDatabase(DB);
  const aliyun = await new AliyunStandin().start();
  const base = loadConfig();
  const perSender = RATE / SENDERS;
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
          templates: { public_warning: 'SMS_P0001' },
          timeoutMs: 5000,
          ratePerSecond: perSender,
          burst: 100,
        },
      ],
      chain: ['aliyun'],
      sender: { ...base.sms.sender, enabled: false, claimLimit: 1000 },
      dailyCapPerNumber: 50,
    },
  };
  @Module({ imports: [ConfigModule.forRoot(config), PlatformModule, SmsModule] })
  class BenchModule {}
  const apps: INestApplicationContext[] = [];
  for (let i = 0; i < SENDERS; i++) {
    const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
    if (i === 0) await prepareDatabase(app);
    apps.push(app);
  }
  const ds = apps[0].get<DataSource>(getDataSourceToken());
  try {
    const rows = Array.from({ length: N }, (_, i) => ({
      to: `+86137${String(i).padStart(8, '0')}`,
      template: 'public_warning',
      params: { issuer: '临海市防汛防台抗旱指挥部', kind: '台风', level: '红色', summary: '台风将于今夜在临海沿海登陆，请立即转移' },
      purpose: 'public' as const,
      refType: 'warning',
      refId: 'bench-1',
      idempotencyKey: `bench-public-${i}`,
    }));
    let t0 = performance.now();
    const out = await ds.transaction((m) => apps[0].get(SmsService).enqueueMany(m, rows));
    const enqueueS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await Promise.all(
      apps.map(async (app) => {
        const sender = app.get(SmsSender);
        for (;;) {
          const pass = await sender.runOnce();
          if (pass.claimed === 0) {
            const [{ n }] = await ds.query(`select count(*)::int as n from sms_messages where status in ('queued', 'sending')`);
            if (n === 0) return;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }),
    );
    const drainS = (performance.now() - t0) / 1000;
    const [{ sent }] = await ds.query(`select count(*)::int as sent from sms_messages where status = 'sent'`);
    const unique = new Set(aliyun.sends.map((s) => s.to)).size;
    const line = (k: string, v: string): void => void process.stdout.write(`${k.padEnd(28)}${v}\n`);
    line('messages', `${N} (queued ${out.filter((o) => o.status === 'queued').length})`);
    line('enqueueMany', `${enqueueS.toFixed(2)} s (${Math.round(N / enqueueS)} rows/s)`);
    line('queue time (drain)', `${drainS.toFixed(2)} s with ${SENDERS} senders`);
    line('throughput', `${Math.round(sent / drainS)} msgs/s (configured ${RATE} msgs/s in total)`);
    line(
      'provider requests',
      `${aliyun.requests.length} (${aliyun.requests.filter((r) => r.action === 'SendBatchSms').length} SendBatchSms)`,
    );
    line('sent once each', `${unique === N && aliyun.sends.length === N ? 'yes' : 'NO'} (${aliyun.sends.length} sends, ${unique} numbers)`);
  } finally {
    for (const app of apps) await app.close();
    await aliyun.stop();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
