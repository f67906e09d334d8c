import { RawBodyRoutes, XML_CONTENT_TYPE } from './raw-body-routes';

describe('raw-body routes: a module declares which of its routes reads a non-JSON body', () => {
  const routes = new RawBodyRoutes('api/v1');
  routes.accept({ method: 'POST', path: 'warnings', contentType: XML_CONTENT_TYPE, maxBytes: 1024 });

  it('finds the declared route by method, path (trailing slash, query string) and content type', () => {
    for (const url of ['/api/v1/warnings', '/api/v1/warnings/', '/api/v1/warnings?x=1']) {
      expect(routes.find('POST', url, 'application/cap+xml; charset=utf-8')?.maxBytes).toBe(1024);
    }
    expect(routes.find('POST', '/api/v1/warnings', 'text/xml')).toBeDefined();
    expect(routes.find('POST', '/api/v1/warnings', 'Application/XML')).toBeDefined();
  });

  it('finds nothing for another route, method or type (those stay JSON-only: 415 for XML)', () => {
    expect(routes.find('POST', '/api/v1/holders', 'application/xml')).toBeUndefined();
    expect(routes.find('POST', '/api/v1/warnings/x', 'application/xml')).toBeUndefined();
    expect(routes.find('POST', '/api/v1/warningsx', 'application/xml')).toBeUndefined();
    expect(routes.find('PUT', '/api/v1/warnings', 'application/xml')).toBeUndefined();
    expect(routes.find('POST', '/api/v1/warnings', 'application/json')).toBeUndefined();
    expect(routes.find('POST', '/api/v1/warnings', 'application/xml-dtd')).toBeUndefined();
    expect(routes.find('POST', '/api/v1/warnings', undefined)).toBeUndefined();
  });

  it('registering the same route again replaces it (two apps in one process, or a re-init)', () => {
    const again = new RawBodyRoutes('api/v1');
    again.accept({ method: 'POST', path: '/warnings/', contentType: XML_CONTENT_TYPE, maxBytes: 10 });
    again.accept({ method: 'POST', path: 'warnings', contentType: XML_CONTENT_TYPE, maxBytes: 20 });
    expect(again.find('POST', '/api/v1/warnings', 'text/xml')?.maxBytes).toBe(20);
  });
});
