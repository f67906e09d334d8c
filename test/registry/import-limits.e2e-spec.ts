import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { csvText, EN_HEADER, utf8Csv } from '../fixtures/import/files';
import { TestApp } from '../support/app';
import { bootWithFixtures, TREE } from '../support/fixtures';

const MiB = 1024 * 1024;

interface RawAnswer {
  status: number;
  body: { statusCode?: number; code?: string; details?: Array<{ field: string; problem: string }> };
  /** Bytes of the body the client had written when the answer arrived. */
  sentWhenAnswered: number;
}

/**
 * Streams a multipart upload of `fileBytes` bytes of CSV-ish text in 1 MiB chunks, honouring
 * back-pressure, with or without a Content-Length. Resolves with the answer; keeps sending
 * after it, as a browser would, so a server that stopped reading would show up as a reset.
 */
function streamUpload(port: number, token: string, fileBytes: number, chunked: boolean): Promise<RawAnswer> {
  const boundary = '----fangxun-import-test';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(MiB, 'a,b,c,d\r\n');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/holders/import',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': head.length + fileBytes + tail.length }),
      },
    });
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString() || '{}'), sentWhenAnswered }),
      );
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.write(head);
    const pump = () => {
      while (sent < fileBytes) {
        const piece = fileBytes - sent >= chunk.length ? chunk : chunk.subarray(0, fileBytes - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

describe('bulk import: what is refused before any row is read', () => {
  let t: TestApp;
  let tok: Record<string, string>;
  let config: AppConfig;
  let port: number;
  const as = (user: string) => ({ Authorization: `Bearer ${tok[user]}` });
  const upload = (file: Buffer, name = 'holders.csv') =>
    request(t.http).post('/api/v1/holders/import').set(as('commander')).attach('file', file, name);
  const holderCount = async () => Number((await t.ds.query('select count(*)::int as n from responsibility_holders'))[0].n);
  const stillServes = async () => {
    const ok = await upload(utf8Csv([EN_HEADER, ['试', 'patroller', TREE.gridA, '13900000099']]), 'ok.csv');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ total: 1, rejected: 0 });
  };

  beforeAll(async () => {
    ({ t, tok } = await bootWithFixtures());
    config = t.app.get<AppConfig>(APP_CONFIG);
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    port = (t.http.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('refuses an empty upload, a binary one and a request without the file field with 400', async () => {
    const empty = await upload(Buffer.alloc(0)).expect(400);
    expect(empty.body).toMatchObject({ code: 'IMPORT_FILE_INVALID', details: [{ field: 'file', problem: 'the file is empty' }] });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const binary = await upload(png, 'holders.csv').expect(400);
    expect(binary.body).toMatchObject({
      code: 'IMPORT_FILE_INVALID',
      details: [{ field: 'file', problem: expect.stringMatching(/binary/) }],
    });
    const random = await upload(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'x.xlsx').expect(400);
    expect(random.body.code).toBe('IMPORT_FILE_INVALID');
    const headerOnly = await upload(utf8Csv([EN_HEADER])).expect(400);
    expect(headerOnly.body.details).toEqual([{ field: 'file', problem: 'no rows below the header' }]);
    const noFile = await request(t.http).post('/api/v1/holders/import').set(as('commander')).field('note', 'x').expect(400);
    expect(noFile.body).toMatchObject({
      code: 'IMPORT_FILE_INVALID',
      details: [{ field: 'file', problem: expect.stringMatching(/multipart/) }],
    });
    const wrongField = await request(t.http)
      .post('/api/v1/holders/import')
      .set(as('commander'))
      .attach('upload', utf8Csv([EN_HEADER]), 'h.csv');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.code).toBe('IMPORT_FILE_INVALID');
    const rawCsv = await request(t.http)
      .post('/api/v1/holders/import')
      .set(as('commander'))
      .set('Content-Type', 'text/csv')
      .send('name,role\n');
    expect(rawCsv.status).toBe(415);
  });

  it('refuses a file just over the size limit with 413 in the common error body (multer stops at the limit)', async () => {
    const file = Buffer.alloc(config.http.uploadMaxBytes + 1024, 'a,b,c,d\r\n');
    const res = await upload(file).expect(413);
    expect(res.body).toMatchObject({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      details: [{ field: 'file', problem: expect.stringMatching(/larger than 10 MiB/) }],
      correlationId: expect.any(String),
    });
    await stillServes();
  });

  it('answers a 50 MB upload with 413 as soon as its Content-Length is read, and still serves afterwards', async () => {
    const before = await holderCount();
    const answer = await streamUpload(port, tok.commander, 50 * MiB, false);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: [{ field: 'file' }] });
    // The answer came before the client had sent the body: nothing waited for (or kept) 50 MB.
    expect(answer.sentWhenAnswered).toBeLessThan(50 * MiB);
    expect(await holderCount()).toBe(before);
    await stillServes();
  });

  it('cuts off a 50 MB chunked upload (no Content-Length) at the limit with 413', async () => {
    const before = await holderCount();
    const answer = await streamUpload(port, tok.commander, 50 * MiB, true);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await holderCount()).toBe(before);
    await stillServes();
  });

  it('the same 50 MB through supertest gets a clean 413, not a reset connection', async () => {
    const res = await upload(Buffer.alloc(50 * MiB, 'a'), 'big.csv');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses more rows than one import takes with 413, naming the count', async () => {
    const max = config.registry.importMaxRows;
    const rows = Array.from({ length: max + 1 }, (_, i) => ['某', 'patroller', TREE.gridA, `1390${String(i).padStart(7, '0')}`]);
    const res = await upload(Buffer.from(csvText([EN_HEADER.slice(0, 4), ...rows]))).expect(413);
    expect(res.body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: [{ field: 'file', problem: expect.stringContaining(`${max + 1} rows`) }],
    });
  });
});
