import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { prepareDatabase } from '@fangxun/platform';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  process.env.FANGXUN_PROCESS ??= 'worker';
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await prepareDatabase(app);
  app.get(Logger).log('worker started');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
