import { Module } from '@nestjs/common';
import { ApiModule } from '../../api/src/api.module';
import { WorkerModule } from '../../worker/src/worker.module';

/** API and worker in one process: the demo and small installations. */
@Module({ imports: [ApiModule, WorkerModule] })
export class StandaloneModule {}
