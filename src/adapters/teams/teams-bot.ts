import { type Activity, ActivityTypes, CardFactory, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import type { ConversationHandler, TurnContext as ConversationTurn } from '../../conversation/conversation-handler.js';
import type { Reply } from '../../conversation/reply.js';
import { errorSummary } from '../../error-summary.js';
import type { Logger } from '../../logger.js';
import type { AdaptiveCardRenderer } from '../../render/adaptive-card/adaptive-card-renderer.js';
import { isSharedConversation, mentionsBot, privateChatUrl, questionText, userAttachments } from './teams-activity.js';
import { type TeamsLeadsChannel, teamsAddress } from './teams-leads-channel.js';

/**
 * The Teams side of the bot: channel @mentions, group chats and 1:1 chats. It only translates
 * between Teams activities and the platform-free ConversationHandler; it holds no matching logic.
 */
export class SafeguardingTeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly conversation: ConversationHandler,
    private readonly cards: AdaptiveCardRenderer,
    private readonly leads?: { channel: TeamsLeadsChannel; logger: Logger },
  ) {
    super();

    // Every activity from the leads' team teaches the bot where their channel is (ESCALATION_TEAMS_CHANNEL).
    this.onTurn(async (context, next) => {
      await this.leads?.channel.observe(context.activity);
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.answerMessage(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botWasAdded = (context.activity.membersAdded ?? []).some((member) => member.id === context.activity.recipient.id);
      if (botWasAdded) await this.send(context, await this.conversation.welcome(this.turnFor(context)));
      await next();
    });
  }

  /** What to send when a turn fails: the safety card, never silence. */
  safetyActivity(): Partial<Activity> {
    return this.toActivity(this.conversation.failure(), undefined);
  }

  private async answerMessage(context: TurnContext): Promise<void> {
    const { activity } = context;
    const shared = isSharedConversation(activity);
    const turn = this.turnFor(context);

    // No typing indicator: answers take well under a second, and a refused side call must not cost the answer.
    if (activity.value !== undefined && activity.value !== null) {
      const reply = await this.conversation.action(activity.value, turn);
      // A lead's press that worked has nothing to say: the request's card in the channel shows it.
      if (!reply) return;
      if (reply.onlyForPresser && shared && this.leads) await this.sendPrivately(context, reply);
      else await this.send(context, reply);
      return;
    }
    // In channels and group chats Teams sends the bot only messages that @mention it; anything else is not for us.
    if (shared && activity.channelId === 'msteams' && !mentionsBot(activity)) return;

    const attachments = userAttachments(activity);
    const text = questionText(activity);
    if (attachments.length > 0) await this.send(context, await this.conversation.attachments(turn));
    if (text || attachments.length === 0) await this.send(context, await this.conversation.text(text, turn));
  }

  private turnFor(context: TurnContext): ConversationTurn {
    const { activity } = context;
    const userId = activity.from?.aadObjectId ?? activity.from?.id;
    const shared = isSharedConversation(activity);
    const workspace = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    return {
      platform: activity.channelId === 'playground' ? 'playground' : 'teams',
      shared,
      ...(userId ? { userId } : {}),
      ...(activity.from?.id && workspace
        ? {
            presser: {
              id: activity.from.id,
              ...(activity.from.name ? { name: activity.from.name } : {}),
              workspace,
              conversation: (activity.conversation?.id ?? '').split(';')[0]!,
              address: teamsAddress(activity, !shared),
            },
          }
        : {}),
    };
  }

  /**
   * A reply meant only for the person who pressed (asking a lead), from a channel or group chat,
   * goes to their 1:1 chat with the bot; nothing is said in the shared conversation unless that fails.
   */
  private async sendPrivately(context: TurnContext, reply: Reply): Promise<void> {
    const { activity } = context;
    try {
      const address = {
        ...teamsAddress(activity, false),
        id: activity.from.id,
        ...(activity.from.name ? { name: activity.from.name } : {}),
      };
      await this.leads!.channel.sendToPersonalChat(address, this.toActivity(reply, undefined));
    } catch (error) {
      this.leads!.logger.warn({ event: 'private-chat-failed', err: errorSummary(error) }, 'could not open a private chat with the presser');
      const link = privateChatUrl(activity);
      await context.sendActivity({
        type: ActivityTypes.Message,
        text: `I could not message you privately, so I have not asked a lead. Open a private chat with me${link ? ` (${link})` : ''} and use the button there.`,
      });
    }
  }

  private async send(context: TurnContext, reply: Reply): Promise<void> {
    await context.sendActivity(this.toActivity(reply, privateChatUrl(context.activity)));
  }

  protected toActivity(reply: Reply, chatUrl: string | undefined): Partial<Activity> {
    const rendered = this.cards.render(reply, chatUrl ? { privateChatUrl: chatUrl } : {});
    return {
      type: ActivityTypes.Message,
      summary: rendered.summary,
      speak: rendered.summary,
      attachments: [CardFactory.adaptiveCard(rendered.card)],
    };
  }
}
