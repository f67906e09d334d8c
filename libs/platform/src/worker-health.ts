import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * The worker's own liveness and readiness, for an orchestrator's probes: a bare node:http
 * server with `/health` (the process answers), `/ready` (its database answers, with
 * PostGIS) and `/metrics` (Prometheus: SMS providers' requests, errors, latency). Not a Nest HTTP app on purpose: the worker's modules declare the API's
 * controllers, and the worker must not serve them (nor has it the API's access guard).
 */
export async function serveWorkerHealth(ds: DataSource, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, { status: 'error', message: 'GET only' });
    if (path === '/health') return send(200, { status: 'ok' });
    if (path === '/metrics') {
      // The worker's own counters (SMS providers, jobs): the api's /metrics cannot see them.
      register.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': register.contentType });
          res.end(text);
        },
        (err: Error) => send(500, { status: 'error', message: err.message }),
      );
      return;
    }
    if (path !== '/ready') return send(404, { status: 'error', message: 'try /health, /ready or /metrics' });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('database did not answer in 2 s')), 2000).unref());
    Promise.race([ds.query('select postgis_lib_version() as v') as Promise<Array<{ v: string }>>, timeout]).then(
      ([row]) => send(200, { status: 'ok', database: 'up', postgis: row.v }),
      (err: Error) => send(503, { status: 'error', database: 'down', message: err.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}

export function healthPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}
