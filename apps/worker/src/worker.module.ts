import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ConfigModule } from '@fangxun/config';
import { OutboxJobsModule } from '@fangxun/database';
import { FeedsJobsModule, FeedsModule } from '@fangxun/feeds';
import { RealtimeRetentionModule, SmsJobsModule } from '@fangxun/notify';
import { PlatformModule } from '@fangxun/platform';
import { RegistryModule } from '@fangxun/registry';
import { WakeupJobsModule } from '@fangxun/wakeup';
import { EvacuationJobsModule } from '@fangxun/evacuation';

/**
 * Schedules, feed polling, escalation timers and dispatch (from the feeds and wake-up issues
 * on). Every job claims its work from the database, so running two workers is safe.
 */
@Module({
  imports: [
    ConfigModule.forRoot(),
    PlatformModule,
    ScheduleModule.forRoot(),
    RegistryModule,
    FeedsModule,
    FeedsJobsModule,
    RealtimeRetentionModule,
    SmsJobsModule,
    WakeupJobsModule,
    EvacuationJobsModule,
    OutboxJobsModule,
  ],
})
export class WorkerModule {}
