import { Module } from '@nestjs/common';
import { OutboxModule } from '@fangxun/database';
import { WakeupJobs } from './events/wakeup.jobs';
import { WakeupModule } from './wakeup.module';

/** The wake-up's loop (events, escalation timers, board pushes). Only the worker imports it. */
@Module({ imports: [WakeupModule, OutboxModule], providers: [WakeupJobs], exports: [WakeupJobs] })
export class WakeupJobsModule {}
