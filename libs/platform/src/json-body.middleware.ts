import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppError, CommonErrors, ErrorDetail } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { bodyLimitFor, declaredOver } from './body-limits';
import { findUnsafeString, jsonShapeExceeds } from './json-safety';
import { RawBodyRoutes } from './raw-body-routes';
import { readBody, tooLarge } from './read-body';
import { queryStringProblem } from './request-params';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UTF8 = new TextDecoder('utf-8', { fatal: true });

class BodyRejected extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
  }
}

/**
 * Reads JSON bodies with limits that hold before anything is expanded: size, nesting depth
 * (scanned on the raw bytes, so a body nested 100,000 deep never reaches JSON.parse or
 * class-transformer), well-formed UTF-8, and no NUL or lone surrogate in any string (both
 * would either crash PostgreSQL's text input or be silently rewritten). The query string of
 * every request gets the same string checks and a length limit (queryStringProblem). Multipart uploads
 * pass through to their routes; other content types on a body are refused with 415.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly verify: (req: RawBodyRequest, buf: Buffer, maxValues: number) => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rawBodies: RawBodyRoutes,
  ) {
    this.verify = verifier(config.http.jsonMaxDepth);
  }

  /**
   * Limits per content type (`bodyLimitFor`): JSON, GeoJSON uploads (whole risk lists), gauge
   * reading batches, and the raw bodies of the routes a module registered in RawBodyRoutes (CAP
   * XML, a Buffer for feeds' safe-XML reader). Over the limit by
   * its declaration: 413 before a byte is read; chunked: cut off at the limit (`readBody`).
   */
  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const q = req.originalUrl.indexOf('?');
    const badQuery = q >= 0 ? queryStringProblem(req.originalUrl.slice(q + 1)) : undefined;
    if (badQuery) throw new AppError(CommonErrors.Validation, `${badQuery.field}: ${badQuery.problem}`, [badQuery]);
    if (!BODY_METHODS.has(req.method) || !hasBody(req)) return next();
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    const raw = this.rawBodies.find(req.method, req.originalUrl, type);
    const limit = bodyLimitFor(this.config, type, raw);
    if (declaredOver(req.headers, limit) !== undefined) throw tooLarge(limit, type.startsWith('multipart/') ? 'file' : '(body)');
    // Multipart uploads are read by their route's interceptor (multer, with the route's own limit).
    if (type.startsWith('multipart/form-data')) return next();
    if (raw) {
      // A raw-body route (CAP XML) gets the Buffer: its own reader checks it (for XML: DOCTYPE,
      // entities, depth) before any parser sees it; only the size is limited here.
      req.body = await readBody(req, limit);
      return next();
    }
    if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/.test(type)) {
      throw new AppError(CommonErrors.UnsupportedMediaType, `content type "${type || '(none)'}" is not accepted here`, [
        { field: 'content-type', problem: 'must be application/json' },
      ]);
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/.exec(type)?.[1];
    if (charset && !/^utf-?8$/.test(charset)) {
      throw new AppError(CommonErrors.UnsupportedMediaType, 'unsupported charset or encoding', [
        { field: 'content-type', problem: 'charset must be utf-8' },
      ]);
    }
    const buf = await readBody(req, limit);
    // Bulk types (GeoJSON lists, reading batches) hold many values by design; plain JSON is capped.
    const bulk = type.startsWith('application/geo+json') || type.startsWith('application/vnd.fangxun.readings+json');
    try {
      this.verify(req, buf, bulk ? Infinity : this.config.http.jsonMaxValues);
    } catch (err) {
      throw err instanceof BodyRejected ? err.appError : err;
    }
    req.body = parseStrict(buf);
    const bad = findUnsafeString(req.body, '');
    if (bad) throw new AppError(CommonErrors.Validation, `${bad.field}: ${bad.problem}`, [bad satisfies ErrorDetail]);
    next();
  }
}

/** JSON as body-parser's strict mode reads it: an object or array; an empty body is `{}`. */
function parseStrict(buf: Buffer): unknown {
  const text = buf.toString('utf8');
  if (!text.trim()) return {};
  const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text)?.[1];
  try {
    if (first !== '{' && first !== '[') throw new Error('not an object or array');
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError(CommonErrors.InvalidJson, 'body is not valid JSON', [{ field: '(body)', problem: 'malformed JSON' }]);
  }
}

/** A request whose JSON body was read here: the exact bytes stay on it (webhook signatures are over them). */
export type RawBodyRequest = Request & { rawBody?: Buffer };

/**
 * Checks the raw bytes before JSON.parse sees them: nesting depth, then well-formed UTF-8; and
 * keeps them as `req.rawBody` (an HMAC over re-serialised JSON would not match the sender's).
 */
function verifier(maxDepth: number) {
  return (req: RawBodyRequest, buf: Buffer, maxValues: number) => {
    req.rawBody = buf;
    const exceeded = jsonShapeExceeds(buf, maxDepth, maxValues);
    if (exceeded === 'depth') {
      throw new BodyRejected(
        new AppError(CommonErrors.InvalidJson, `JSON nested deeper than ${maxDepth} levels`, [
          { field: '(body)', problem: `nested deeper than ${maxDepth} levels` },
        ]),
      );
    }
    if (exceeded === 'values') {
      throw new BodyRejected(
        new AppError(CommonErrors.PayloadTooLarge, `JSON body holds more than ${maxValues} values`, [
          { field: '(body)', problem: `more than ${maxValues} values` },
        ]),
      );
    }
    try {
      UTF8.decode(buf);
    } catch {
      throw new BodyRejected(
        new AppError(CommonErrors.InvalidJson, 'body is not valid UTF-8', [{ field: '(body)', problem: 'malformed UTF-8' }]),
      );
    }
  };
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
