import type { CloudAdapter } from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import type { SafeguardingTeamsBot } from '../adapters/teams/teams-bot.js';
import { errorSummary } from '../error-summary.js';
import type { Logger } from '../logger.js';

/** Bot Framework activities are small; anything much larger is not one. */
const maxActivityBytes = 256 * 1024;

/**
 * POST /api/messages: Bot Framework activities from Teams, the Emulator and the playground.
 * Bodies that are not activities get 400; authentication failures get 401 before any handler runs.
 */
export function registerTeamsRoute(
  server: Server,
  adapter: CloudAdapter,
  bot: SafeguardingTeamsBot,
  logger: Logger,
  options: { requireToken: boolean },
): void {
  server.post(
    '/api/messages',
    // restify's jsonBodyParser passes maxBodySize to its body reader; its type definitions omit it.
    restify.plugins.jsonBodyParser({ maxBodySize: maxActivityBytes, mapParams: false } as restify.plugins.JsonBodyParserOptions),
    async (request: Request, response: Response) => {
      // Without something shaped like a JWT there is nothing to verify: refuse before the SDK is involved.
      if (options.requireToken && !bearerTokenShape.test(request.header('authorization') ?? '')) {
        response.send(401, { error: 'A valid Bot Framework token is required.' });
        return;
      }
      if (!isActivityShaped(request.body)) {
        response.send(400, { error: 'The body must be a Bot Framework activity (a JSON object with a "type").' });
        return;
      }
      try {
        await adapter.process(request, response, (context) => bot.run(context));
      } catch (error) {
        // The SDK rejects some malformed activities by throwing before it answers.
        logger.warn({ event: 'activity-rejected', err: errorSummary(error) }, 'an activity could not be processed');
        if (!response.headersSent) response.send(400, { error: 'The activity could not be processed.' });
      }
    },
  );
}

const bearerTokenShape = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function isActivityShaped(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { type?: unknown }).type === 'string';
}
