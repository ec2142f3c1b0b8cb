import { App, type Authorize, HTTPReceiver, type RespondFn } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { SlackSettings } from '../../config.js';
import type { ConversationHandler, TurnContext } from '../../conversation/conversation-handler.js';
import type { Engine } from '../../engine/index.js';
import { errorSummary } from '../../error-summary.js';
import type { Logger } from '../../logger.js';
import { renderAppHome, renderBlockKit, renderPrivacyReminder, type SlackMessage } from '../../render/block-kit/block-kit-renderer.js';
import { boltLogger } from './bolt-logger.js';
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
export function createSlackSide(settings: SlackSettings, conversation: ConversationHandler, engine: Engine, logger: Logger): SlackSide {
  const socketMode = Boolean(settings.appToken);
  const slackLogger = boltLogger(logger);
  const clientOptions = settings.apiUrl ? { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } : {};
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
    authorize: resilientAuthorize(settings.botToken, new WebClient(settings.botToken, { ...clientOptions, logger: slackLogger }), logger),
    clientOptions,
    logger: slackLogger,
  });

  const turn = (shared: boolean, teamId: string | undefined, userId: string | undefined): TurnContext => ({
    platform: 'slack',
    shared,
    ...(userId ? { userId: `${teamId ?? ''}:${userId}` } : {}),
  });
  const safely = async (what: string, work: () => Promise<void>, onFailure: (safety: SlackMessage) => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      logger.error({ event: 'slack-handler-error', handler: what, err: errorSummary(error) }, 'a Slack handler failed');
      try {
        await onFailure(renderBlockKit(conversation.failure()));
      } catch (sendError) {
        logger.error({ event: 'slack-safety-reply-failed', err: errorSummary(sendError) }, 'could not send the safety message');
      }
    }
  };

  // Any slash command configured for the app (normally /safeguarding): answered in the acknowledgement, only to the asker.
  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    let acknowledged = false;
    await safely(
      'command',
      async () => {
        const text = slackQuestionText(command.text);
        const asker = turn(false, command.team_id, command.user_id);
        const reply = text ? await conversation.text(text, asker) : await conversation.welcome(asker);
        acknowledged = true;
        await ack({ response_type: 'ephemeral', ...renderBlockKit(reply) });
      },
      (safety) => (acknowledged ? respond({ response_type: 'ephemeral', ...safety }) : ack({ response_type: 'ephemeral', ...safety })),
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
        const asker = turn(shared, (body as { team_id?: string }).team_id, mention.user);
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
        const asker = turn(false, (body as { team_id?: string }).team_id, message.user);
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
    const presser = turn(false, body.user.team_id ?? body.team?.id, body.user.id);
    await safely('button', async () => reply(renderBlockKit(await conversation.action(value, presser))), reply);
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
      if (socketMode) {
        await app.start();
        logger.info({ event: 'slack-on', mode: 'socket' }, 'Slack is on in Socket Mode.');
      } else {
        logger.info({ event: 'slack-on', mode: 'http' }, 'Slack is on: events, commands and buttons at POST /slack/events.');
      }
    },
    async stop() {
      if (socketMode) await app.stop();
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

/**
 * Finds the bot's own ids with auth.test once; if that fails (an unreachable API, a stand-in
 * without auth.test) the bot still answers, relying on its own checks to ignore bot messages.
 */
function resilientAuthorize(botToken: string, client: WebClient, logger: Logger): Authorize<boolean> {
  let identity: Promise<{ botId?: string; botUserId?: string }> | undefined;
  return async () => {
    identity ??= client.auth
      .test()
      .then((result) => ({ ...(result.bot_id ? { botId: result.bot_id } : {}), ...(result.user_id ? { botUserId: result.user_id } : {}) }))
      .catch((error: unknown) => {
        logger.warn({ event: 'slack-auth-test-failed', err: errorSummary(error) }, 'auth.test failed; continuing without the bot ids');
        identity = undefined;
        return {};
      });
    return { botToken, ...(await identity) };
  };
}
