import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { maskDeep, maskPhones } from '@fangxun/common';
import type { AppConfig } from '@fangxun/config';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Keeps a caller's correlation id when it looks sane, otherwise makes one; echoes it back. */
export function correlationId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader(CORRELATION_HEADER, id);
  return id;
}

/**
 * Structured JSON logs (pino) with the request's correlation id on every line, secrets
 * redacted by path and phone numbers masked wherever they appear, messages included.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    // Express 5 route syntax: a bare '*' is legacy and logs a warning at every boot.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.log.level,
      genReqId: correlationId,
      customAttributeKeys: { reqId: 'correlationId' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-api-key"]',
          '*.password',
          '*.passwordHash',
          '*.token',
          '*.accessToken',
          '*.secret',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskPhones(req.url) }),
      },
      formatters: {
        log: (object: Record<string, unknown>) => maskDeep(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskPhones(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
      transport: config.log.pretty ? { target: 'pino/file', options: { destination: 1 } } : undefined,
      autoLogging: { ignore: (req) => ['/health', '/metrics'].includes(req.url ?? '') },
    },
  };
}
