import { randomUUID } from 'node:crypto';
import { type Activity, ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import { replyWithSafetyCard } from '../adapters/teams/bot-framework-adapter.js';
import { SafeguardingTeamsBot } from '../adapters/teams/teams-bot.js';
import type { ConversationHandler } from '../conversation/conversation-handler.js';
import type { Reply } from '../conversation/reply.js';
import { errorSummary } from '../error-summary.js';
import type { LeadRequests } from '../escalation/lead-requests.js';
import type { Logger } from '../logger.js';
import type { AdaptiveCardRenderer } from '../render/adaptive-card/adaptive-card-renderer.js';
import { renderBlockKit } from '../render/block-kit/block-kit-renderer.js';
import { leadsSuffix, PlaygroundLeadsChannel } from './playground-leads-channel.js';

/**
 * A small local channel for the playground page. The page posts activities here; they run
 * through a Bot Framework CloudAdapter and the same Teams bot as /api/messages, whose replies come
 * back to this channel's own connector endpoint and are streamed to the page as server-sent
 * events. So the page shows exactly the cards Teams users get. Each reply also carries the
 * Slack (Block Kit) rendering of the same answer, for the page's Slack view.
 *
 * With "Ask a safeguarding lead" on, each conversation has a simulated leads' channel beside it:
 * requests from the page are posted there, and the page can press a lead's buttons, as a lead in
 * a channel of its own, through the same bot.
 */

const botAccount = { id: 'playground-bot', name: 'Safeguarding Assistant', role: 'bot' };
const userAccount = { id: 'playground-user', name: 'Practitioner (you)', role: 'user' };
const leadAccount = { id: 'playground-lead', name: 'Playground lead', role: 'user' };
const maxConversations = 200;
const maxBacklog = 50;

interface Conversation {
  id: string;
  clients: Set<Response>;
  backlog: Partial<Activity>[];
  lastUsed: number;
}

class PlaygroundBot extends SafeguardingTeamsBot {
  protected override toActivity(reply: Reply, chatUrl: string | undefined): Partial<Activity> {
    return { ...super.toActivity(reply, chatUrl), channelData: { slack: renderBlockKit(reply) } };
  }
}

export class PlaygroundChannel {
  private readonly conversations = new Map<string, Conversation>();
  private readonly adapter: CloudAdapter;
  private readonly bot: PlaygroundBot;
  private serviceUrl = '';

  private readonly leads: boolean;

  constructor(
    conversation: ConversationHandler,
    cards: AdaptiveCardRenderer,
    private readonly logger: Logger,
    leads?: LeadRequests,
  ) {
    this.bot = new PlaygroundBot(conversation, cards);
    this.leads = leads !== undefined;
    leads?.connect('playground', new PlaygroundLeadsChannel(this, cards));
    // Its own adapter with no app id: the playground is local, and its replies come back to this channel.
    this.adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    this.adapter.onTurnError = replyWithSafetyCard(logger, this.bot);
  }

  /** Where the bot's replies are sent: this server's own connector endpoint, over loopback. */
  setServiceUrl(serverBaseUrl: string): void {
    this.serviceUrl = `${serverBaseUrl}/playground/connector/`;
  }

  registerRoutes(server: Server): void {
    const json = restify.plugins.jsonBodyParser({ maxBodySize: 64 * 1024, mapParams: false } as restify.plugins.JsonBodyParserOptions);

    server.post('/playground/conversations', async (_request: Request, response: Response) => {
      const conversation = this.newConversation();
      response.send(201, { conversationId: conversation.id, leadsChannel: this.leads });
      await this.run(conversation, { type: ActivityTypes.ConversationUpdate, membersAdded: [botAccount, userAccount] });
    });

    server.get('/playground/conversations/:id/events', async (request: Request, response: Response) => {
      const conversation = this.conversations.get(String(request.params.id));
      if (!conversation) {
        response.send(404, { error: 'No such conversation. Reload the page.' });
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      conversation.clients.add(response);
      for (const activity of conversation.backlog.splice(0)) this.push(conversation, activity);
      const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 20_000);
      // The stream stays open until the page goes away or the server stops.
      await new Promise<void>((resolve) => {
        request.once('close', resolve);
        response.once('close', resolve);
      });
      clearInterval(heartbeat);
      conversation.clients.delete(response);
    });

    server.post('/playground/conversations/:id/activities', json, async (request: Request, response: Response) => {
      const conversation = this.conversations.get(String(request.params.id));
      if (!conversation) {
        response.send(404, { error: 'No such conversation. Reload the page.' });
        return;
      }
      const body = request.body as { text?: unknown; value?: unknown; as?: unknown } | undefined;
      const text = typeof body?.text === 'string' ? body.text.slice(0, 4000) : undefined;
      const value = body?.value;
      if (text === undefined && (value === undefined || value === null)) {
        response.send(400, { error: 'Send {"text": "..."} or {"value": {...}}.' });
        return;
      }
      if (body?.as === 'lead') {
        // A button pressed in the simulated leads' channel: a lead's press, in that channel.
        if (!this.leads || value === undefined || value === null) {
          response.send(400, { error: "There is no leads' channel here: set ESCALATION_SLACK_CHANNEL or ESCALATION_TEAMS_CHANNEL." });
          return;
        }
        const id = randomUUID();
        response.send(202, { id });
        await this.run(conversation, { type: ActivityTypes.Message, id, value }, 'lead');
        return;
      }
      const id = randomUUID();
      const activity: Partial<Activity> = {
        type: ActivityTypes.Message,
        id,
        ...(text !== undefined ? { text } : {}),
        ...(value !== undefined ? { value } : {}),
      };
      // Like Direct Line, the user's own message is echoed, so the page knows it was delivered.
      this.push(conversation, { ...activity, from: userAccount, timestamp: new Date() });
      response.send(202, { id });
      await this.run(conversation, activity);
    });

    server.post('/playground/connector/v3/conversations/:conversationId/activities', json, async (request: Request, response: Response) =>
      this.receiveFromBot(request, response),
    );
    server.post(
      '/playground/connector/v3/conversations/:conversationId/activities/:replyToId',
      json,
      async (request: Request, response: Response) => this.receiveFromBot(request, response),
    );
  }

  private receiveFromBot(request: Request, response: Response): void {
    // Only the bot itself, in this process, talks to the connector endpoint.
    if (!isLoopback(request.socket.remoteAddress) && request.socket.remoteAddress !== request.socket.localAddress) {
      response.send(403, { error: 'Forbidden' });
      return;
    }
    const target = String(request.params.conversationId);
    const inLeadsChannel = target.endsWith(leadsSuffix);
    const conversation = this.conversations.get(inLeadsChannel ? target.slice(0, -leadsSuffix.length) : target);
    const activity = request.body as Partial<Activity>;
    const id = randomUUID();
    if (conversation && activity && typeof activity === 'object')
      this.push(conversation, {
        ...activity,
        id,
        from: botAccount,
        timestamp: new Date(),
        ...(inLeadsChannel ? { channelData: { ...(activity.channelData ?? {}), playgroundLeads: true } } : {}),
      });
    response.send(200, { id });
  }

  /** Shows an activity in a conversation (or its simulated leads' channel); resolves with its id, or undefined when the conversation is gone. */
  show(conversationId: string, activity: Partial<Activity>, inLeadsChannel: boolean): string | undefined {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return undefined;
    const id = activity.id ?? randomUUID();
    this.push(conversation, {
      ...activity,
      id,
      from: botAccount,
      timestamp: new Date(),
      ...(inLeadsChannel ? { channelData: { ...(activity.channelData ?? {}), playgroundLeads: true } } : {}),
    });
    return id;
  }

  private async run(conversation: Conversation, activity: Partial<Activity>, as: 'user' | 'lead' = 'user'): Promise<void> {
    const full: Partial<Activity> = {
      ...activity,
      channelId: 'playground',
      serviceUrl: this.serviceUrl,
      from: as === 'lead' ? leadAccount : userAccount,
      recipient: botAccount,
      // The conversation's id stands for its "workspace": a request and the lead who takes it must share it.
      conversation:
        as === 'lead'
          ? {
              id: `${conversation.id}${leadsSuffix}`,
              conversationType: 'channel',
              isGroup: true,
              name: "Safeguarding leads' channel (simulated)",
              tenantId: conversation.id,
            }
          : { id: conversation.id, conversationType: 'personal', isGroup: false, name: 'playground', tenantId: conversation.id },
      timestamp: new Date(),
      locale: 'en-GB',
    };
    try {
      await this.adapter.processActivityDirect('', full as Activity, (context: TurnContext) => this.bot.run(context));
    } catch (error) {
      this.logger.error({ event: 'playground-turn-failed', err: errorSummary(error) }, 'a playground turn failed');
    }
  }

  private push(conversation: Conversation, activity: Partial<Activity>): void {
    conversation.lastUsed = Date.now();
    if (conversation.clients.size === 0) {
      conversation.backlog.push(activity);
      if (conversation.backlog.length > maxBacklog) conversation.backlog.shift();
      return;
    }
    const event = `data: ${JSON.stringify(activity)}\n\n`;
    for (const client of conversation.clients) client.write(event);
  }

  private newConversation(): Conversation {
    if (this.conversations.size >= maxConversations) {
      const oldest = [...this.conversations.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (oldest) {
        for (const client of oldest.clients) client.end();
        this.conversations.delete(oldest.id);
      }
    }
    const conversation: Conversation = { id: randomUUID(), clients: new Set(), backlog: [], lastUsed: Date.now() };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** Ends open event streams so the server can stop. */
  close(): void {
    for (const conversation of this.conversations.values()) for (const client of conversation.clients) client.end();
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
