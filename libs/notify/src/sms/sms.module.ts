import { Module } from '@nestjs/common';
import { Clock } from '@fangxun/common';
import { OutboxModule } from '@fangxun/database';
import { SmsCallbackController, SmsController } from './sms.controller';
import { SmsRepository } from './sms.repository';
import { SmsService } from './sms.service';
import { SmsDispatch } from './sms-dispatch';
import { SmsProviderWatch } from './sms-provider-watch';
import { SmsProviders } from './sms-providers';
import { SmsQueryService } from './sms-query.service';
import { SmsReceiptRepository } from './sms-receipt.repository';
import { SmsSender } from './sms-sender';
import { SmsSenderJob } from './sms-sender.job';
import { SmsWebhookService } from './sms-webhook.service';

/**
 * The SMS channel for the API: SmsService.enqueue (in the caller's transaction), the provider
 * callbacks and the command room's read routes. The sender loop is SmsJobsModule (worker only).
 */
@Module({
  imports: [OutboxModule],
  controllers: [SmsController, SmsCallbackController],
  providers: [
    Clock,
    SmsRepository,
    SmsReceiptRepository,
    SmsProviderWatch,
    SmsDispatch,
    SmsService,
    SmsProviders,
    SmsQueryService,
    SmsWebhookService,
    SmsSender,
  ],
  exports: [SmsService, SmsSender, SmsProviders],
})
export class SmsModule {}

/** Worker only: the loop that drains the queue (sms.sender.enabled, sms.sender.intervalMs). */
@Module({
  imports: [SmsModule],
  providers: [SmsSenderJob],
})
export class SmsJobsModule {}
