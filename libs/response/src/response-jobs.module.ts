import { Module } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { OutboxModule } from '@fangxun/database';
import { ArealRainfallJob } from './levels/areal-rainfall.job';
import { ResponseJobs } from './levels/response.jobs';
import { ResponseModule } from './response.module';

/** The response's loops (warning events → proposals; the areal-rainfall rules). Only the worker imports it. */
@Module({
  imports: [AuditModule, ResponseModule, OutboxModule],
  providers: [ResponseJobs, ArealRainfallJob],
  exports: [ResponseJobs, ArealRainfallJob],
})
export class ResponseJobsModule {}
