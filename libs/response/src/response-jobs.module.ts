import { Module } from '@nestjs/common';
import { OutboxModule } from '@fangxun/database';
import { ResponseJobs } from './levels/response.jobs';
import { ResponseModule } from './response.module';

/** The response's loop (warning events → proposals). Only the worker imports it. */
@Module({ imports: [ResponseModule, OutboxModule], providers: [ResponseJobs], exports: [ResponseJobs] })
export class ResponseJobsModule {}
