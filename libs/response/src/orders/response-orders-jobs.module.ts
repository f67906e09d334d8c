import { Module } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { OutboxModule } from '@fangxun/database';
import { OrderJobs } from './order.jobs';
import { ResponseOrdersModule } from './response-orders.module';

/** The orders' worker loop (receipts from the wake-up's outbox, overdue, redelivery). Only the worker imports it. */
@Module({ imports: [AuditModule, ResponseOrdersModule, OutboxModule], providers: [Clock, OrderJobs], exports: [OrderJobs] })
export class ResponseOrdersJobsModule {}
