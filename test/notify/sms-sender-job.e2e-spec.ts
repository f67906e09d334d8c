import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '@fangxun/config';
import { SmsJobsModule, SmsService } from '@fangxun/notify';
import { ApiModule } from '../../apps/api/src/api.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { resetSms, smsTestConfig, Standins, startStandins, stopStandins } from './sms.support';

describe('SMS sender job (worker loop)', () => {
  let s: Standins;
  beforeAll(async () => {
    s = await startStandins();
  });
  afterAll(() => stopStandins(s));

  it('the worker module wires the SMS job (dependency graph resolves)', async () => {
    const m = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await m.close();
  });

  it('with sms.sender.enabled the loop drains queued messages by itself', async () => {
    const config = smsTestConfig(s, {}, { enabled: true, intervalMs: 20 });
    const m = await Test.createTestingModule({ imports: [ApiModule, SmsJobsModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .compile();
    const app = m.createNestApplication({ bodyParser: false, logger: false });
    const ds = app.get<DataSource>(getDataSourceToken());
    await resetSms(ds);
    await app.init();
    try {
      const sms = app.get(SmsService);
      await ds.transaction((tx) =>
        sms.enqueue(tx, { to: '+8613700000001', template: 'public_warning', params: {}, purpose: 'public', idempotencyKey: 'job-1' }),
      );
      let status = '';
      for (let i = 0; i < 200 && status !== 'sent'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        [{ status }] = await ds.query(`select status from sms_messages where idempotency_key = 'job-1'`);
      }
      expect(status).toBe('sent');
      expect(s.aliyun.sendsTo('+8613700000001')).toBe(1);
    } finally {
      await app.close();
    }
  });
});
