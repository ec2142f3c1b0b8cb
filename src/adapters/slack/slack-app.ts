import { App, HTTPReceiver, type RespondFn } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { SlackSettings } from '../../config.js';
import type { ConversationHandler, TurnContext } from '../../conversation/conversation-handler.js';
import type { Engine } from '../../engine/index.js';
import { errorSummary } from '../../error-summary.js';
import type { LeadRequests } from '../../escalation/lead-requests.js';
import type { Logger } from '../../logger.js';
import { renderAppHome, renderBlockKit, renderPrivacyReminder, type SlackMessage } from '../../render/block-kit/block-kit-renderer.js';
import { boltLogger } from './bolt-logger.js';
import { SlackLeadsChannel } from './slack-leads-channel.js';
import { directMessageUrl, hasFiles, slackQuestionText } from './slack-message.js';

export interface SlackSide {
  /** Present in HTTP mode: the listener to mount on POST /slack/events. */
  receiver: HTTPReceiver | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface MessageLikeEvent {
  text?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  ts: string;
  thread_ts?: string;
  files?: unknown[];
}

/**
 * The Slack side of the bot: /safeguarding, @mentions, direct messages, buttons and the App Home.
 * It translates Slack events to the platform-free ConversationHandler and renders with Block Kit;
 * it holds no matching logic. HTTP mode is mounted on the shared server; with SLACK_APP_TOKEN it
 * uses Socket Mode instead, so no public URL is needed.
 */
export interface SlackLeads {
  requests: LeadRequests;
  /** ESCALATION_SLACK_CHANNEL: the Slack channel id of the safeguarding leads. */
  channelId: string;
}

export function createSlackSide(
  settings: SlackSettings,
  conversation: ConversationHandler,
  engine: Engine,
  logger: Logger,
  leads?: SlackLeads,
): SlackSide {
  const socketMode = Boolean(settings.appToken);
  const slackLogger = boltLogger(logger);
  // Every call to Slack (Web API and response_url) is bounded, and retried only briefly: an answer
  // that cannot be delivered in a few seconds is no use, and a stop must not wait on it.
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } : {}),
    timeout: slackCallTimeoutMs,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 },
    fetch: boundedFetch,
  };
  const identity = new BotIdentity(
    new WebClient(settings.botToken, { ...clientOptions, retryConfig: { retries: 0 }, logger: slackLogger }),
    logger,
  );
  const inFlight = new Set<Promise<unknown>>();
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: settings.signingSecret,
        endpoints: '/slack/events',
        logger: slackLogger,
        unhandledRequestTimeoutMillis: 2900,
      });

  const app = new App({
    ...(receiver ? { receiver } : { socketMode: true, appToken: settings.appToken, signingSecret: settings.signingSecret }),
    // Never waits on Slack: the token is known, and the bot's own ids are learnt in the background.
    authorize: async () => {
      identity.learnSoon();
      return { botToken: settings.botToken, ...identity.known };
    },
    clientOptions,
    logger: slackLogger,
  });

  // Requests to the leads go through a client of their own: they are sent outside any event's handler too (posted again).
  if (leads)
    leads.requests.connect(
      'slack',
      new SlackLeadsChannel(new WebClient(settings.botToken, { ...clientOptions, logger: slackLogger }), leads.channelId),
    );

  const turn = (shared: boolean, teamId: string | undefined, userId: string | undefined, channelId?: string): TurnContext => ({
    platform: 'slack',
    shared,
    ...(userId ? { userId: `${teamId ?? ''}:${userId}` } : {}),
    ...(userId && teamId ? { presser: { id: userId, workspace: teamId, conversation: channelId ?? '' } } : {}),
  });
  const safely = async (what: string, work: () => Promise<void>, onFailure: (safety: SlackMessage) => Promise<unknown>) => {
    // Kept until done, so a stop waits for answers still on their way to Slack.
    const running = work();
    inFlight.add(running);
    try {
      await running;
    } catch (error) {
      logger.error({ event: 'slack-handler-error', handler: what, err: errorSummary(error) }, 'a Slack handler failed');
      try {
        await onFailure(renderBlockKit(conversation.failure()));
      } catch (sendError) {
        logger.error({ event: 'slack-safety-reply-failed', err: errorSummary(sendError) }, 'could not send the safety message');
      }
    } finally {
      inFlight.delete(running);
    }
  };

  // Any slash command configured for the app (normally /safeguarding): acknowledged at once, whatever
  // Slack's API or the record store are doing, then answered through response_url, only to the asker.
  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    await ack();
    await safely(
      'command',
      async () => {
        const text = slackQuestionText(command.text);
        const asker = turn(false, command.team_id, command.user_id, command.channel_id);
        const reply = text ? await conversation.text(text, asker) : await conversation.welcome(asker);
        await respond({ response_type: 'ephemeral', ...renderBlockKit(reply) });
      },
      (safety) => respond({ response_type: 'ephemeral', ...safety }),
    );
  });

  app.event('app_mention', async ({ event, client, body }) => {
    const mention = event as unknown as MessageLikeEvent;
    const threadTs = mention.thread_ts ?? mention.ts;
    const post = (message: SlackMessage) => client.chat.postMessage({ channel: mention.channel, thread_ts: threadTs, ...message });
    await safely(
      'app_mention',
      async () => {
        const shared = mention.channel_type !== 'im';
        const asker = turn(shared, (body as { team_id?: string }).team_id, mention.user, mention.channel);
        const dmUrl = directMessageUrl((body as { api_app_id?: string }).api_app_id, (body as { team_id?: string }).team_id);
        if (hasFiles(mention)) await post(renderBlockKit(await conversation.attachments(asker)));
        const text = slackQuestionText(mention.text);
        if (!text && hasFiles(mention)) return;
        const reply = await conversation.text(text, asker);
        await post(renderBlockKit({ ...reply, privacyWarning: false }));
        if (reply.privacyWarning && mention.user) {
          // The reminder goes only to the person who wrote the message.
          await client.chat.postEphemeral({
            channel: mention.channel,
            user: mention.user,
            thread_ts: threadTs,
            ...renderPrivacyReminder(dmUrl),
          });
        }
      },
      post,
    );
  });

  app.event('message', async ({ event, client, body }) => {
    const message = event as unknown as MessageLikeEvent;
    // Only direct messages from people; channel messages reach the bot as app_mention.
    if (message.channel_type !== 'im' || message.bot_id || (message.subtype && message.subtype !== 'file_share')) return;
    const post = (reply: SlackMessage) => client.chat.postMessage({ channel: message.channel, ...reply });
    await safely(
      'direct-message',
      async () => {
        const asker = turn(false, (body as { team_id?: string }).team_id, message.user, message.channel);
        if (hasFiles(message)) await post(renderBlockKit(await conversation.attachments(asker)));
        const text = slackQuestionText(message.text);
        if (!text && hasFiles(message)) return;
        await post(renderBlockKit(await conversation.text(text, asker)));
      },
      post,
    );
  });

  app.action(/.*/, async ({ action, ack, respond, body, client }) => {
    await ack();
    const value = (action as { value?: string }).value;
    if ((action as { action_id?: string }).action_id === 'sa_open_dm') return;
    const reply = (message: SlackMessage) =>
      answerButton(respond, message, body.type === 'block_actions' && body.container?.type === 'view', client, body.user.id);
    const where = body.type === 'block_actions' ? (body.channel?.id ?? (body.container as { channel_id?: string })?.channel_id) : undefined;
    const presser = turn(false, body.user.team_id ?? body.team?.id, body.user.id, where);
    await safely(
      'button',
      async () => {
        // A lead's press that worked has nothing to say: the request's message in the channel shows it.
        const answer = await conversation.action(value, presser);
        if (answer) await reply(renderBlockKit(answer));
      },
      reply,
    );
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await safely(
      'app_home',
      async () => {
        await client.views.publish({
          user_id: event.user,
          view: { type: 'home', blocks: renderAppHome(engine.help(), engine.pack.identity.packVersion) },
        });
      },
      async () => {},
    );
  });

  app.error(async (error) => {
    logger.error({ event: 'slack-error', err: errorSummary(error) }, 'Slack event failed');
  });

  return {
    receiver,
    async start() {
      identity.learnSoon();
      if (socketMode) {
        await app.start();
        logger.info({ event: 'slack-on', mode: 'socket' }, 'Slack is on in Socket Mode.');
      } else {
        logger.info({ event: 'slack-on', mode: 'http' }, 'Slack is on: events, commands and buttons at POST /slack/events.');
      }
    },
    async stop() {
      if (socketMode) await app.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * Buttons pressed in a message get a private reply to the presser (through response_url);
 * buttons on the App Home get a direct message, since a Home tab has no response_url.
 */
async function answerButton(
  respond: RespondFn,
  message: SlackMessage,
  fromHome: boolean,
  client: WebClient,
  userId: string,
): Promise<void> {
  if (fromHome) {
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (channel) await client.chat.postMessage({ channel, ...message });
    return;
  }
  await respond({ response_type: 'ephemeral', replace_original: false, ...message });
}

const slackCallTimeoutMs = 5000;

/** fetch with a time limit, for Bolt's respond(), which would otherwise wait as long as the socket does. */
const boundedFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(slackCallTimeoutMs) });

/**
 * The bot's own user and bot ids, from auth.test, which Bolt uses to ignore the bot's own
 * messages. They are learnt in the background and nothing waits for them: with Slack's API out of
 * reach the bot still acknowledges and answers (its own handlers ignore bot messages anyway).
 * After a failure it tries again at most once a minute.
 */
class BotIdentity {
  known: { botId?: string; botUserId?: string } = {};
  private learning = false;
  private lastTry = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
  ) {}

  learnSoon(): void {
    if (this.known.botUserId || this.learning || performance.now() - this.lastTry < 60_000) return;
    this.learning = true;
    this.lastTry = performance.now();
    this.client.auth
      .test()
      .then((result) => {
        this.known = { ...(result.bot_id ? { botId: result.bot_id } : {}), ...(result.user_id ? { botUserId: result.user_id } : {}) };
      })
      .catch((error: unknown) => {
        this.logger.warn({ event: 'slack-auth-test-failed', err: errorSummary(error) }, 'auth.test failed; answering without the bot ids');
      })
      .finally(() => {
        this.learning = false;
      });
  }
}
