import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Logger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { postgisVersion, runMigrationsLocked } from '@fangxun/database';
import { setupOpenApi } from './swagger';

export const API_PREFIX = 'api/v1';

/**
 * Builds the HTTP application the same way for production, the demo and the e2e tests:
 * routes under /api/v1 (health, readiness and metrics at the root), OpenAPI docs, our own
 * JSON body reader instead of the stock one, migrations under a lock when configured.
 */
export async function createHttpApp(rootModule: Type<unknown>): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'ready', 'metrics'] });
  app.enableShutdownHooks();
  await prepareDatabase(app);
  setupOpenApi(app);
  answerClientErrorsInJson(app.getHttpServer() as Server);
  return app;
}

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers or URL too large,
 * malformed request line) get the common error body too, not Node's bare status line.
 */
export function answerClientErrorsInJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (err as { code?: string }).code === 'ECONNRESET') return void socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      statusCode: status,
      code: tooLarge ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST',
      message: tooLarge ? 'request line or headers too large' : 'malformed HTTP request',
      details: [{ field: '(request)', problem: tooLarge ? 'request line or headers too large' : 'malformed HTTP request' }],
      correlationId: randomUUID(),
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** Runs pending migrations (if configured) and refuses to start without PostGIS. */
export async function prepareDatabase(app: Pick<INestApplication, 'get'>): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const ds = app.get<DataSource>(getDataSourceToken());
  if (config.database.migrateOnBoot) await runMigrationsLocked(ds);
  await postgisVersion(ds);
}

/** Listens on the configured port and prints where everything is. */
export async function printUrls(app: INestApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address() as { port: number };
  const base = config.http.publicUrl ?? `http://${config.http.host}:${address.port}`;
  const lines = [
    `Fangxun is up (${process.env.FANGXUN_PROCESS ?? 'app'})`,
    `  API         ${base}/${API_PREFIX}`,
    `  API docs    ${base}/api/docs   (OpenAPI JSON: ${base}/api/docs-json)`,
    `  health      ${base}/health   readiness ${base}/ready   metrics ${base}/metrics`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
