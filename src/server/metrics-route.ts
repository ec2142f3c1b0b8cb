import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { Metrics } from '../metrics/metrics.js';

/**
 * GET /metrics: Prometheus text. With METRICS_TOKEN set, only a request bearing it
 * (Authorization: Bearer <token>) is answered; the comparison takes the same time whatever the guess.
 */
export function registerMetricsRoute(server: Server, metrics: Metrics, token: string | undefined): void {
  const expected = token ? digest(token) : undefined;
  server.get('/metrics', async (request: Request, response: Response) => {
    if (expected) {
      const given = /^Bearer (.+)$/.exec(request.header('authorization') ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) {
        response.header('www-authenticate', 'Bearer');
        response.send(401, { error: 'A metrics token is required.' });
        return;
      }
    }
    const body = await metrics.registry.metrics();
    response.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
    response.end(body);
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
