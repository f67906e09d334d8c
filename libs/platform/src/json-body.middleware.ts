import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { json, raw } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { AppError, CommonErrors, ErrorDetail } from '@fangxun/common';
import { findUnsafeString, jsonShapeExceeds } from './json-safety';
import { queryStringProblem } from './request-params';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const XML_TYPE = /^(application\/(cap\+)?xml|text\/xml)\s*(;|$)/;
/** The routes that read an XML body themselves (CAP alerts in); elsewhere XML is a 415 like any non-JSON. */
const XML_ROUTES = [/^\/api\/v1\/warnings\/?$/];
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
  private readonly parseJson: ReturnType<typeof json>;
  /** GeoJSON uploads (application/geo+json) carry whole risk lists: same checks, larger limit. */
  private readonly parseGeoJson: ReturnType<typeof json>;
  /** Gauge reading batches (application/vnd.fangxun.readings+json): tens of thousands of rows. */
  private readonly parseReadings: ReturnType<typeof json>;

  /** CAP alerts (application/cap+xml, application/xml, text/xml) as a raw Buffer, own size limit. */
  private readonly readXml: ReturnType<typeof raw>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const bulk = { strict: true, type: () => true, verify: verifier(config.http.jsonMaxDepth, Infinity) };
    const plain = { ...bulk, verify: verifier(config.http.jsonMaxDepth, config.http.jsonMaxValues) };
    this.parseJson = json({ ...plain, limit: config.http.jsonBodyLimitBytes });
    this.readXml = raw({ type: () => true, limit: config.feeds.capMaxBytes });
    this.parseGeoJson = json({ ...bulk, limit: config.geo.geojsonBodyLimitBytes });
    this.parseReadings = json({ ...bulk, limit: config.feeds.readingsBodyLimitBytes });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const q = req.originalUrl.indexOf('?');
    const badQuery = q >= 0 ? queryStringProblem(req.originalUrl.slice(q + 1)) : undefined;
    if (badQuery) throw new AppError(CommonErrors.Validation, `${badQuery.field}: ${badQuery.problem}`, [badQuery]);
    if (!BODY_METHODS.has(req.method) || !hasBody(req)) return next();
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/form-data')) return next();
    if (XML_TYPE.test(type) && XML_ROUTES.some((r) => r.test(req.originalUrl.split('?')[0]))) {
      // CAP XML reaches its route as the raw Buffer: the route's safe-XML reader checks it
      // (DOCTYPE/entities, depth) before any parser sees it; only the size is limited here.
      await new Promise<void>((resolve, reject) => this.readXml(req, res, (err?: unknown) => (err ? reject(translate(err)) : resolve())));
      return next();
    }
    if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/.test(type)) {
      throw new AppError(CommonErrors.UnsupportedMediaType, `content type "${type || '(none)'}" is not accepted here`, [
        { field: 'content-type', problem: 'must be application/json' },
      ]);
    }
    const parse = type.startsWith('application/geo+json')
      ? this.parseGeoJson
      : type.startsWith('application/vnd.fangxun.readings+json')
        ? this.parseReadings
        : this.parseJson;
    await new Promise<void>((resolve, reject) => parse(req, res, (err?: unknown) => (err ? reject(translate(err)) : resolve())));
    const bad = findUnsafeString(req.body, '');
    if (bad) throw new AppError(CommonErrors.Validation, `${bad.field}: ${bad.problem}`, [bad satisfies ErrorDetail]);
    next();
  }
}

/** A request whose JSON body was read here: the exact bytes stay on it (webhook signatures are over them). */
export type RawBodyRequest = Request & { rawBody?: Buffer };

/**
 * Checks the raw bytes before JSON.parse sees them: nesting depth, then well-formed UTF-8; and
 * keeps them as `req.rawBody` (an HMAC over re-serialised JSON would not match the sender's).
 */
function verifier(maxDepth: number, maxValues: number) {
  return (req: RawBodyRequest, _res: unknown, buf: Buffer) => {
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

function translate(err: unknown): AppError {
  if (err instanceof BodyRejected) return err.appError;
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.verify.failed' && (err as { cause?: unknown }).cause instanceof BodyRejected) {
    return (err as { cause: BodyRejected }).cause.appError;
  }
  switch (e.type) {
    case 'entity.too.large':
      return new AppError(CommonErrors.PayloadTooLarge, 'request body too large', [{ field: '(body)', problem: 'too large' }]);
    case 'entity.parse.failed':
      return new AppError(CommonErrors.InvalidJson, 'body is not valid JSON', [{ field: '(body)', problem: 'malformed JSON' }]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(CommonErrors.UnsupportedMediaType, 'unsupported charset or encoding', [
        { field: 'content-type', problem: 'charset must be utf-8' },
      ]);
    default:
      return new AppError(CommonErrors.InvalidJson, 'could not read the request body', [
        { field: '(body)', problem: e.message ?? 'unreadable' },
      ]);
  }
}
