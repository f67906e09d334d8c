import { connect, Socket } from 'node:net';
import { ApiModule } from '../../apps/api/src/api.module';
import { bootCustom, CustomApp } from '../support/app';

const FIFTY_MB = 50 * 1024 * 1024;

/** What the server wrote back on a raw connection, until it closed it (or `ms` passed). */
function exchange(port: number, head: string, feed?: (s: Socket) => void, ms = 5000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let text = '';
    const done = (closed: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => done(false), ms);
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('close', () => done(true));
    s.on('error', () => undefined);
    s.write(head);
    feed?.(s);
  });
}

const headers = (path: string, type: string, extra: string[] = []) =>
  [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Type: ${type}`, ...extra, '', ''].join('\r\n');

describe('request bodies over the route limit are refused before they are sent', () => {
  let t: CustomApp;
  let port: number;

  beforeAll(async () => {
    t = await bootCustom({ imports: [ApiModule], listen: true });
    port = Number(new URL(t.url).port);
  });
  afterAll(() => t?.close());

  it.each([
    ['the CAP XML route', '/api/v1/warnings', 'application/cap+xml'],
    ['a JSON route', '/api/v1/wakeup/campaigns', 'application/json'],
    ['a GeoJSON import', '/api/v1/risk-objects/import', 'application/geo+json'],
    ['a multipart upload', '/api/v1/holders/import', 'multipart/form-data; boundary=x'],
  ])(
    '%s: a declared 50 MB body with Expect: 100-continue gets 413 and no 100 Continue, and the connection closes',
    async (_n, path, type) => {
      const r = await exchange(port, headers(path, type, [`Content-Length: ${FIFTY_MB}`, 'Expect: 100-continue']));
      expect(r.text).not.toMatch(/100 Continue/);
      expect(r.text.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
      expect(r.text).toMatch(/"code":"PAYLOAD_TOO_LARGE"/);
      expect(r.closed).toBe(true);
    },
  );

  it.each([
    ['the CAP XML route', '/api/v1/warnings', 'application/cap+xml'],
    ['a JSON route', '/api/v1/wakeup/campaigns', 'application/json'],
    ['a multipart upload', '/api/v1/holders/import', 'multipart/form-data; boundary=x'],
  ])('%s: the headers alone of a declared 50 MB body get 413 and the connection closes, no byte of it sent', async (_n, path, type) => {
    const r = await exchange(port, headers(path, type, [`Content-Length: ${FIFTY_MB}`]));
    expect(r.text.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(r.closed).toBe(true);
  });

  it('a chunked CAP body is cut off at the limit: 413 while it is still being sent', async () => {
    const data = Buffer.alloc(64 * 1024, 0x20);
    const chunk = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    let sent = 0;
    const r = await exchange(port, headers('/api/v1/warnings', 'application/cap+xml', ['Transfer-Encoding: chunked']), (s) => {
      const pump = () => {
        // never more than 8 MiB, far past the 1 MiB CAP limit; stops when the server closes
        while (sent < 8 * 1024 * 1024 && !s.destroyed) {
          sent += data.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
      };
      pump();
    });
    expect(r.text.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(r.closed).toBe(true);
  });

  it('a body within the limit is read as before (a small CAP body reaches the route: 401 without credentials)', async () => {
    const body = '<alert/>';
    const r = await exchange(
      port,
      headers('/api/v1/warnings', 'application/cap+xml', [`Content-Length: ${body.length}`, 'Connection: close']) + body,
    );
    expect(r.text.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
  });
});
