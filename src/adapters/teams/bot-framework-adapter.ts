import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationParameters,
  type ConversationReference,
  type ConversationResourceResponse,
  type InvokeResponse,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  type BotFrameworkAuthentication,
  type ConnectorClient,
} from 'botframework-connector';
import type { TeamsSettings } from '../../config.js';
import { errorSummary } from '../../error-summary.js';
import type { Logger } from '../../logger.js';
import { CachingBotFrameworkAuthentication } from './caching-authentication.js';
import type { SafeguardingTeamsBot } from './teams-bot.js';

/** Where a turn keeps the signal that ends its connector calls when its time is up. */
const turnDeadlineKey = Symbol('connector deadline for this turn');

export class ConnectorTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the Bot Connector did not answer within ${timeoutMs} ms`);
    this.name = 'ConnectorTimeoutError';
  }
}

/**
 * The Bot Framework adapter for Teams (and the Emulator). Without an app id it runs
 * unauthenticated for local use; with one, every request needs a valid Bot Framework token.
 *
 * Two things differ from a plain CloudAdapter. Authentication is a step of its own
 * (authenticate()), so the route answers a token that cannot be validated with a plain 401 and
 * can check which serviceUrl the token vouches for before anything is sent. And all the connector
 * calls of one turn share one deadline: a dead connector costs at most CONNECTOR_TIMEOUT_MS,
 * retries included, instead of holding the request for as long as the SDK keeps retrying.
 */
export class SafeguardingCloudAdapter extends CloudAdapter {
  constructor(
    authentication: BotFrameworkAuthentication,
    private readonly connectorTimeoutMs: number,
  ) {
    super(new CachingBotFrameworkAuthentication(authentication));
  }

  /** Validates the request's token for this activity; rejects when it cannot be validated. */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** Runs one turn for an authenticated activity; resolves with the invoke response, if any. */
  async runTurn(
    authenticated: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new ConnectorTimeoutError(this.connectorTimeoutMs)), this.connectorTimeoutMs);
    try {
      return await this.processActivity(authenticated, activity, async (context) => {
        context.turnState.set(turnDeadlineKey, deadline.signal);
        await logic(context);
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A turn of the bot's own, not answering a request (posting to the leads' channel, telling an
   * asker): its connector calls share one deadline, as a request's do.
   */
  async proactive(appId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.withDeadline((signal) =>
      this.continueConversationAsync(appId, reference, async (context) => {
        context.turnState.set(turnDeadlineKey, signal);
        // There is no incoming message to reply to: what is sent starts anew in the conversation.
        delete (context.activity as Partial<Activity>).id;
        await logic(context);
      }),
    );
  }

  /**
   * Creates a conversation, within the deadline: a 1:1 chat with a user (Teams returns the existing
   * one), or a new thread in a channel when the parameters carry the channel and its first message.
   */
  async createConversation(appId: string, serviceUrl: string, parameters: ConversationParameters): Promise<ConversationResourceResponse> {
    return this.withDeadline(async (signal) => {
      const claims = this.createClaimsIdentity(appId);
      claims.claims.push({ type: AuthenticationConstants.ServiceUrlClaim, value: serviceUrl });
      const client = await this.botFrameworkAuthentication.createConnectorFactory(claims).create(serviceUrl, undefined);
      const created = await client.conversations.createConversation(parameters, { abortSignal: signal });
      if (!created.id) throw new Error('the Bot Connector did not create the conversation');
      return created;
    });
  }

  /** As CloudAdapterBase updates a message, with the turn's deadline on the connector call. */
  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | undefined> {
    const signal = connectorDeadline(context);
    if (!signal) return (await super.updateActivity(context, activity)) ?? undefined;
    const client = context.turnState.get<ConnectorClient>(this.ConnectorClientKey);
    if (!client) throw new Error('Unable to extract ConnectorClient from turn context.');
    const response = await client.conversations.updateActivity(activity.conversation?.id ?? '', activity.id ?? '', activity, {
      abortSignal: signal,
    });
    return response?.id ? { id: response.id } : undefined;
  }

  private async withDeadline<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new ConnectorTimeoutError(this.connectorTimeoutMs)), this.connectorTimeoutMs);
    try {
      return await work(deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /** As CloudAdapterBase sends them, with the turn's deadline on every connector call. */
  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const signal = connectorDeadline(context);
    if (!signal) return super.sendActivities(context, activities);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay' || activity.type === 'invokeResponse' || activity.type === 'trace') {
        responses.push(...(await super.sendActivities(context, [activity])));
        continue;
      }
      if (signal.aborted) throw signal.reason;
      const client = context.turnState.get<ConnectorClient>(this.ConnectorClientKey);
      if (!client) throw new Error('Unable to extract ConnectorClient from turn context.');
      delete activity.id;
      const conversationId = activity.conversation?.id ?? '';
      const response = activity.replyToId
        ? await client.conversations.replyToActivity(conversationId, activity.replyToId, activity, { abortSignal: signal })
        : await client.conversations.sendToConversation(conversationId, activity, { abortSignal: signal });
      responses.push(response ?? { id: '' });
    }
    return responses;
  }
}

function connectorDeadline(context: TurnContext): AbortSignal | undefined {
  return context.turnState.get<AbortSignal>(turnDeadlineKey);
}

export function createBotFrameworkAdapter(
  settings: TeamsSettings,
  logger: Logger,
  bot: Pick<SafeguardingTeamsBot, 'safetyActivity'>,
  options: { connectorTimeoutMs: number; authentication?: BotFrameworkAuthentication },
): SafeguardingCloudAdapter {
  const configuration: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId ?? '',
    MicrosoftAppPassword: settings.appPassword ?? '',
    MicrosoftAppType: settings.appType ?? 'MultiTenant',
    MicrosoftAppTenantId: settings.tenantId ?? '',
  };
  const authentication = options.authentication ?? new ConfigurationBotFrameworkAuthentication(configuration);
  const adapter = new SafeguardingCloudAdapter(authentication, options.connectorTimeoutMs);
  adapter.onTurnError = replyWithSafetyCard(logger, bot);
  return adapter;
}

/**
 * The turn-error handler: the error is logged without the message that caused it, and the user
 * still gets 999 and the advice lines, never silence; unless the turn's connector time is up,
 * when a second card would only wait on the same dead connector.
 */
export function replyWithSafetyCard(
  logger: Logger,
  bot: Pick<SafeguardingTeamsBot, 'safetyActivity'>,
): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    const timedOut = connectorDeadline(context)?.aborted ?? false;
    logger.error(
      {
        event: timedOut ? 'connector-timeout' : 'turn-error',
        channel: context.activity.channelId,
        activityType: context.activity.type,
        err: errorSummary(error),
      },
      timedOut ? 'the Bot Connector did not answer in time' : 'a turn failed',
    );
    if (timedOut) return;
    try {
      await context.sendActivity(bot.safetyActivity());
    } catch (sendError) {
      logger.error({ event: 'safety-reply-failed', err: errorSummary(sendError) }, 'could not send the safety card');
    }
  };
}
