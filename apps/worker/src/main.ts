import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Logger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { prepareDatabase, serveWorkerHealth } from '@fangxun/platform';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  process.env.FANGXUN_PROCESS ??= 'worker';
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await prepareDatabase(app);
  const { healthPort } = app.get<AppConfig>(APP_CONFIG).worker;
  if (healthPort) {
    const server = await serveWorkerHealth(app.get<DataSource>(getDataSourceToken()), healthPort);
    process.once('SIGTERM', () => server.close());
  }
  app.get(Logger).log(`worker started${healthPort ? `; /health and /ready on port ${healthPort}` : ''}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
