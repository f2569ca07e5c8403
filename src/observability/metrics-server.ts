import { createServer, type Server } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { registry } from './metrics.js';

/**
 * The metrics listener: `GET /metrics` in Prometheus's text format, on a port of its own so that it is neither
 * part of the public API (nor of its contract) nor reachable wherever the API is; anything else is 404. A port
 * that cannot be bound is logged as an error and the API serves on without metrics: losing them must not stop
 * the service, and Prometheus shows the target down (`up == 0`).
 */
export function startMetricsServer(port: number, host: string, log: FastifyBaseLogger): Server {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => {
        log.error({ err: error }, 'metrics could not be collected');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n');
      },
    );
  });
  server.on('error', (error) => log.error({ err: error, port, host }, 'the metrics listener failed; no metrics'));
  server.listen(port, host, () => log.info({ port, host }, 'metrics at GET /metrics'));
  // Scrapes never keep the process alive on their own.
  server.unref();
  return server;
}
