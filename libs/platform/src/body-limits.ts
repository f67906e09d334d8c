import type { AppConfig } from '@fangxun/config';
import type { RawBodyRoute } from './raw-body-routes';

/** Boundaries and part headers around one file; a body larger than the file limit + this cannot fit. */
export const MULTIPART_SLACK = 64 * 1024;

/**
 * The most bytes a request's body may hold on this route and content type: a raw-body route
 * (CAP XML; `raw`, from RawBodyRoutes) its own, GeoJSON, reading batches and plain JSON each
 * have their limit; a multipart upload the largest upload
 * limit (the route's own interceptor then holds it to its exact one). Read by the body reader
 * and by the `Expect: 100-continue` check, so a body over it is refused before it is sent.
 */
export function bodyLimitFor(config: AppConfig, contentType: string | undefined, raw: RawBodyRoute | undefined): number {
  if (raw) return raw.maxBytes;
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    return Math.max(config.http.uploadMaxBytes, config.publicWarnings.importMaxBytes) + MULTIPART_SLACK;
  }
  if (type.startsWith('application/geo+json')) return config.geo.geojsonBodyLimitBytes;
  if (type.startsWith('application/vnd.fangxun.readings+json')) return config.feeds.readingsBodyLimitBytes;
  return config.http.jsonBodyLimitBytes;
}

/** The declared length when it is over `limit` (a chunked body has none: it is cut off while read). */
export function declaredOver(headers: { 'content-length'?: string }, limit: number): number | undefined {
  const n = Number(headers['content-length']);
  return Number.isFinite(n) && n > limit ? n : undefined;
}
