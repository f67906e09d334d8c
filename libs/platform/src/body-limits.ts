import type { AppConfig } from '@fangxun/config';

/** Boundaries and part headers around one file; a body larger than the file limit + this cannot fit. */
export const MULTIPART_SLACK = 64 * 1024;

export const XML_TYPE = /^(application\/(cap\+)?xml|text\/xml)\s*(;|$)/;
/** The routes that read an XML body themselves (CAP alerts in); elsewhere XML is a 415 like any non-JSON. */
export const XML_ROUTES = [/^\/api\/v1\/warnings\/?$/];

/**
 * The most bytes a request's body may hold on this route and content type: CAP XML, GeoJSON,
 * reading batches and plain JSON each have their limit; a multipart upload the largest upload
 * limit (the route's own interceptor then holds it to its exact one). Read by the body reader
 * and by the `Expect: 100-continue` check, so a body over it is refused before it is sent.
 */
export function bodyLimitFor(config: AppConfig, url: string, contentType: string | undefined): number {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    return Math.max(config.http.uploadMaxBytes, config.publicWarnings.importMaxBytes) + MULTIPART_SLACK;
  }
  if (XML_TYPE.test(type) && XML_ROUTES.some((r) => r.test(url.split('?')[0]))) return config.feeds.capMaxBytes;
  if (type.startsWith('application/geo+json')) return config.geo.geojsonBodyLimitBytes;
  if (type.startsWith('application/vnd.fangxun.readings+json')) return config.feeds.readingsBodyLimitBytes;
  return config.http.jsonBodyLimitBytes;
}

/** The declared length when it is over `limit` (a chunked body has none: it is cut off while read). */
export function declaredOver(headers: { 'content-length'?: string }, limit: number): number | undefined {
  const n = Number(headers['content-length']);
  return Number.isFinite(n) && n > limit ? n : undefined;
}
