import type { Activity } from 'botbuilder';
import { type AuthenticateRequestResult, AuthenticationConstants } from 'botframework-connector';
import restify, { type Request, type Response, type Server } from 'restify';
import type { SafeguardingCloudAdapter } from '../adapters/teams/bot-framework-adapter.js';
import type { SafeguardingTeamsBot } from '../adapters/teams/teams-bot.js';
import { errorSummary } from '../error-summary.js';
import type { Logger } from '../logger.js';

/** Bot Framework activities are small; anything much larger is not one. */
const maxActivityBytes = 256 * 1024;
/** Validating a token may fetch Microsoft's signing keys; a request waits no longer than this for them. */
const authenticationTimeoutMs = 5000;

const unauthorised = { error: 'A valid Bot Framework token is required.' };

export interface TeamsRouteOptions {
  /** False in local mode (no app id): no token, and replies only to a serviceUrl on this machine. */
  requireToken: boolean;
}

/**
 * POST /api/messages: Bot Framework activities from Teams, the Emulator and the playground.
 *
 * Before any turn runs: a body that is not an activity, or has no conversation or serviceUrl, gets
 * 400 at once. A token that cannot be validated, for whatever reason (forged, expired, Microsoft's
 * signing keys out of reach), gets 401 with the same plain body; the reason goes to the log only.
 * Replies go only where the request vouches for: the serviceUrl its token names, or in local mode
 * an address on this machine. So nobody can make the bot post somewhere of their choosing.
 */
export function registerTeamsRoute(
  server: Server,
  adapter: SafeguardingCloudAdapter,
  bot: SafeguardingTeamsBot,
  logger: Logger,
  options: TeamsRouteOptions,
): void {
  server.post(
    '/api/messages',
    // restify's jsonBodyParser passes maxBodySize to its body reader; its type definitions omit it.
    restify.plugins.jsonBodyParser({ maxBodySize: maxActivityBytes, mapParams: false } as restify.plugins.JsonBodyParserOptions),
    async (request: Request, response: Response) => {
      const authHeader = request.header('authorization') ?? '';
      // Without something shaped like a JWT there is nothing to verify: refuse before the SDK is involved.
      if (options.requireToken && !bearerTokenShape.test(authHeader)) {
        response.send(401, unauthorised);
        return;
      }
      const activity = request.body as Activity;
      if (!isActivityShaped(activity)) {
        response.send(400, { error: 'The body must be a Bot Framework activity (a JSON object with a "type").' });
        return;
      }
      const serviceUrl = parseServiceUrl(activity.serviceUrl);
      if (typeof activity.conversation?.id !== 'string' || activity.conversation.id === '' || !serviceUrl) {
        response.send(400, { error: 'The activity needs a conversation id and an http(s) serviceUrl to reply to.' });
        return;
      }
      if (!options.requireToken && !isLoopback(serviceUrl)) {
        logger.warn({ event: 'service-url-refused', reason: 'not-loopback-in-local-mode' }, 'serviceUrl refused');
        response.send(400, { error: 'In local mode the bot replies only to a serviceUrl on this machine (localhost or 127.0.0.1).' });
        return;
      }

      let authenticated: AuthenticateRequestResult;
      try {
        authenticated = await withTimeout(adapter.authenticate(activity, authHeader), authenticationTimeoutMs);
      } catch (error) {
        logger.warn({ event: 'token-refused', err: errorSummary(error) }, 'a request token could not be validated');
        response.send(401, unauthorised);
        return;
      }
      if (options.requireToken && !vouchesFor(authenticated, serviceUrl)) {
        logger.warn({ event: 'service-url-refused', reason: 'not-in-token' }, 'serviceUrl refused: the token does not name it');
        response.send(401, { error: 'The token does not vouch for this serviceUrl.' });
        return;
      }

      try {
        const invokeResponse = await adapter.runTurn(authenticated, activity, (context) => bot.run(context));
        if (invokeResponse) response.send(invokeResponse.status, invokeResponse.body);
        else response.send(200);
      } catch (error) {
        // Turn errors are answered by the safety card; this is a failure before the turn could start.
        logger.error({ event: 'activity-failed', err: errorSummary(error) }, 'an activity could not be processed');
        if (!response.headersSent) response.send(500, { error: 'The activity could not be processed.' });
      }
    },
  );
}

const bearerTokenShape = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function isActivityShaped(body: unknown): body is Activity {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { type?: unknown }).type === 'string';
}

function parseServiceUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Channel tokens name the serviceUrl they were issued for. A token without that claim (the
 * Emulator's, a skill's) vouches for no serviceUrl, so nothing is sent on its word.
 */
function vouchesFor(authenticated: AuthenticateRequestResult, serviceUrl: URL): boolean {
  const claim = authenticated.claimsIdentity.getClaimValue(AuthenticationConstants.ServiceUrlClaim);
  if (!claim) return false;
  return normalise(claim) === normalise(serviceUrl.toString());
}

function normalise(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return '';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`token validation took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
