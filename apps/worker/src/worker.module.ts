import { Module } from '@nestjs/common';
import { ConfigModule } from '@fangxun/config';
import { OutboxJobsModule } from '@fangxun/database';
import { EvacuationJobsModule } from '@fangxun/evacuation';
import { FeedsJobsModule, FeedsModule } from '@fangxun/feeds';
import { RealtimeRetentionModule, SmsJobsModule } from '@fangxun/notify';
import { PlatformModule } from '@fangxun/platform';
import { RegistryModule } from '@fangxun/registry';
import { ResponseOrdersJobsModule } from '@fangxun/response';
import { ResponseJobsModule } from '@fangxun/response';
import { WakeupJobsModule } from '@fangxun/wakeup';

/**
 * Schedules, feed polling, escalation timers and dispatch (from the feeds and wake-up issues
 * on). Every job claims its work from the database, so running two workers is safe. Jobs tick
 * on their own timers (IntervalJob; README, Scheduling): no @nestjs/schedule.
 */
@Module({
  imports: [
    ConfigModule.forRoot(),
    PlatformModule,
    RegistryModule,
    FeedsModule,
    FeedsJobsModule,
    RealtimeRetentionModule,
    SmsJobsModule,
    WakeupJobsModule,
    ResponseOrdersJobsModule,
    ResponseJobsModule,
    EvacuationJobsModule,
    OutboxJobsModule,
  ],
})
export class WorkerModule {}
