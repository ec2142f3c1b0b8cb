import restify, { type Server } from 'restify';
import { errorSummary } from '../error-summary.js';
import type { Logger } from '../logger.js';

/**
 * The one HTTP server for Teams, Slack, the playground and health checks. Request bodies are
 * parsed per route, never globally: Slack's signature check needs the raw body.
 */
export function createHttpServer(logger: Logger): Server {
  const server = restify.createServer({ name: 'safeguarding-assistant', handleUncaughtExceptions: false });
  server.on('restifyError', (request, _response, error, callback) => {
    // 4xx from body parsing (malformed JSON, too large) are normal traffic; anything else is worth a line.
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) logger.error({ event: 'http-error', route: request.getRoute?.()?.path, err: errorSummary(error) }, 'request failed');
    return callback();
  });
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<{ port: number; host: string }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      const address = server.address();
      resolve({ port: address.port, host: address.address });
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
    (server.server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
}
