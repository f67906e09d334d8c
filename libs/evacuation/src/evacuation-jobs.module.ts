import { Module } from '@nestjs/common';
import { OutboxModule } from '@fangxun/database';
import { GeoModule } from '@fangxun/geo';
import { EvacuationModule } from './evacuation.module';
import { EvacuationJobs } from './events/evacuation.jobs';
import { EvacuationEventsHandler } from './events/evacuation-events.handler';

/** The evacuation's loop (risk-object status → transfer orders). Only the worker imports it. */
@Module({
  imports: [EvacuationModule, GeoModule, OutboxModule],
  providers: [EvacuationEventsHandler, EvacuationJobs],
  exports: [EvacuationJobs],
})
export class EvacuationJobsModule {}
