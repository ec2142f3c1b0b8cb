import { type Activity, ActivityTypes, CardFactory, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import type { ConversationHandler, TurnContext as ConversationTurn } from '../../conversation/conversation-handler.js';
import type { Reply } from '../../conversation/reply.js';
import type { AdaptiveCardRenderer } from '../../render/adaptive-card/adaptive-card-renderer.js';
import { isSharedConversation, mentionsBot, privateChatUrl, questionText, userAttachments } from './teams-activity.js';

/**
 * The Teams side of the bot: channel @mentions, group chats and 1:1 chats. It only translates
 * between Teams activities and the platform-free ConversationHandler; it holds no matching logic.
 */
export class SafeguardingTeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly conversation: ConversationHandler,
    private readonly cards: AdaptiveCardRenderer,
  ) {
    super();

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
      await this.send(context, await this.conversation.action(activity.value, turn));
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
    return {
      platform: activity.channelId === 'playground' ? 'playground' : 'teams',
      shared: isSharedConversation(activity),
      ...(userId ? { userId } : {}),
    };
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
