import { Module } from '@nestjs/common';
import { API_PREFIX } from './http-app';

/** XML as CAP senders label it (application/cap+xml, application/xml, text/xml). */
export const XML_CONTENT_TYPE = /^(application\/(cap\+)?xml|text\/xml)\s*(;|$)/i;

/** A route that reads a body of another type than JSON itself, as a raw Buffer. */
export interface RawBodyRoute {
  method: 'POST' | 'PUT' | 'PATCH';
  /** The controller's path under the API prefix, e.g. `warnings` for POST /api/v1/warnings. */
  path: string;
  /** Content types read raw here; any other non-JSON type stays a 415. */
  contentType: RegExp;
  /** The most bytes such a body may hold (declared larger: 413 before a byte is read). */
  maxBytes: number;
}

/**
 * The routes whose module has said they read a raw body (feeds: CAP XML on POST /warnings).
 * Platform's body reader and its `Expect: 100-continue` check ask here instead of knowing any
 * route by name: such a body is read into `req.body` as a Buffer, at most `maxBytes`, and the
 * route's own parser checks it (for XML: no DOCTYPE or entities, depth; feeds' safe-XML reader).
 */
export class RawBodyRoutes {
  private readonly routes = new Map<string, RawBodyRoute & { url: RegExp }>();

  constructor(private readonly prefix = API_PREFIX) {}

  /** Registers a route (again with the same method, path and type: replaced, so booting twice is harmless). */
  accept(route: RawBodyRoute): void {
    const path = route.path.replace(/^\/+|\/+$/g, '');
    const url = new RegExp(`^/${escape(this.prefix)}/${escape(path)}/?$`);
    this.routes.set(`${route.method} ${path} ${route.contentType.source}`, { ...route, url });
  }

  /** The raw-body route this request is for, if any (`url` may carry a query string). */
  find(method: string | undefined, url: string, contentType: string | undefined): RawBodyRoute | undefined {
    const path = url.split('?')[0];
    const type = contentType ?? '';
    for (const r of this.routes.values()) {
      if (r.method === method && r.url.test(path) && r.contentType.test(type)) return r;
    }
    return undefined;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Provides the one RawBodyRoutes: PlatformModule (its readers) and a module that owns such a
 * route both import this, and Nest gives them the same instance.
 */
@Module({ providers: [{ provide: RawBodyRoutes, useFactory: () => new RawBodyRoutes() }], exports: [RawBodyRoutes] })
export class RawBodyModule {}
