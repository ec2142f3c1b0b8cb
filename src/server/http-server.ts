import restify, { type Server } from 'restify';
import { errorSummary } from '../error-summary.js';
import type { Logger } from '../logger.js';
import { StartupError } from '../startup-error.js';

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

/** Binds the port; a port or host that cannot be used is a StartupError naming PORT or HOST. */
export function listen(server: Server, port: number, host: string): Promise<{ port: number; host: string }> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new StartupError(listenProblem(error, port, host)));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.removeListener('error', failed);
      const address = server.address();
      resolve({ port: address.port, host: address.address });
    });
  });
}

function listenProblem(error: NodeJS.ErrnoException, port: number, host: string): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `PORT ${port} is already in use on ${host}: stop whatever is using it, or set PORT to a free port.`;
    case 'EACCES':
      return `PORT ${port} on ${host} needs privileges this process does not have: set PORT to 1024 or above (the default is 3978).`;
    case 'EADDRNOTAVAIL':
      return `HOST ${host} is not an address of this machine: set HOST to one of its addresses, or leave it empty.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST ${host} could not be found: set HOST to an address of this machine, or leave it empty.`;
    default:
      return `Could not listen on ${host}:${port} (${error.code ?? error.message}): check PORT and HOST.`;
  }
}
