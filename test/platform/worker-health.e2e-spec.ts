import type { Server } from 'node:http';
import { healthPort, serveWorkerHealth } from '@fangxun/platform';
import { bootApi, TestApp } from '../support/app';

describe("the worker's own /health, /ready and /metrics", () => {
  let t: TestApp;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    t = await bootApi();
    server = await serveWorkerHealth(t.ds, 0, '127.0.0.1');
    base = `http://127.0.0.1:${healthPort(server)}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await t?.close();
  });

  it('answers liveness, and readiness with the database and PostGIS; nothing else is served', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', database: 'up', postgis: expect.stringMatching(/^3\./) });
    expect((await fetch(`${base}/api/v1/wakeup/campaigns`)).status).toBe(404);
    expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(405);
  });

  it("serves the process's Prometheus metrics (the SMS sender's provider counters live in the worker)", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE fangxun_sms_provider_requests_total counter');
    expect(text).toContain('# TYPE fangxun_sms_provider_request_seconds histogram');
  });
});
