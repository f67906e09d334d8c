import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CommonErrors } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { bodyLimitFor, declaredOver } from './body-limits';
import { correlationId } from './logging';
import { RawBodyRoutes } from './raw-body-routes';

/**
 * `Expect: 100-continue`: Node answers "100 Continue" by itself unless someone listens, and the
 * client then sends its whole body. We listen: a declared body over the route's limit gets its 413
 * at once (no 100, connection closed, nothing read); any other request is told to continue and
 * handled as usual.
 */
@Injectable()
export class EarlyBodyLimit implements OnApplicationBootstrap {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rawBodies: RawBodyRoutes,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server || server.listenerCount('checkContinue') > 0) return;
    server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      const type = req.headers['content-type'];
      const limit = bodyLimitFor(this.config, type, this.rawBodies.find(req.method, req.url ?? '/', type));
      if (declaredOver(req.headers, limit) !== undefined) return refuse(req, res, limit);
      res.writeContinue();
      server.emit('request', req, res);
    });
  }
}

function refuse(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const problem = `larger than ${limit} bytes (Content-Length ${req.headers['content-length']})`;
  const body = JSON.stringify({
    statusCode: 413,
    code: CommonErrors.PayloadTooLarge.code,
    message: `request body ${problem}`,
    details: [{ field: (req.headers['content-type'] ?? '').startsWith('multipart/') ? 'file' : '(body)', problem }],
    correlationId: correlationId(req, res),
  });
  res.writeHead(413, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}
