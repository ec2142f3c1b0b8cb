import { type Activity, ActivityTypes, CardFactory } from 'botbuilder';
import type { Reply } from '../conversation/reply.js';
import type { LeadRequestView } from '../escalation/lead-request-view.js';
import type { AskerAddress, LeadsChannel, Presser } from '../escalation/lead-requests.js';
import type { AdaptiveCardRenderer } from '../render/adaptive-card/adaptive-card-renderer.js';
import { leadRequestSummary, renderLeadRequestCard } from '../render/adaptive-card/lead-cards.js';
import { renderBlockKit } from '../render/block-kit/block-kit-renderer.js';
import type { PlaygroundChannel } from './playground-channel.js';

/** The simulated leads' channel of a conversation is its id with this after it. */
export const leadsSuffix = ':leads';

/**
 * The playground's simulated leads' channel: one beside each conversation on the page, showing the
 * same request cards Teams leads get. Requests from a conversation go to its own leads' channel
 * only; a lead's press counts only from there.
 */
export class PlaygroundLeadsChannel implements LeadsChannel {
  constructor(
    private readonly channel: PlaygroundChannel,
    private readonly cards: AdaptiveCardRenderer,
  ) {}

  async isLeadsChannel(presser: Presser): Promise<boolean> {
    return presser.conversation === `${presser.workspace}${leadsSuffix}`;
  }

  async post(request: LeadRequestView): Promise<string> {
    const id = this.channel.show(request.workspace, this.requestActivity(request), true);
    if (!id) throw new Error('the playground conversation is gone');
    return JSON.stringify({ conversationId: request.workspace, activityId: id });
  }

  async update(post: string, request: LeadRequestView): Promise<void> {
    const { conversationId, activityId } = JSON.parse(post) as { conversationId: string; activityId: string };
    this.channel.show(conversationId, { ...this.requestActivity(request), type: 'messageUpdate', id: activityId }, true);
  }

  async tellAsker(asker: AskerAddress, reply: Reply): Promise<void> {
    const conversationId = asker.personalChat;
    const rendered = this.cards.render(reply);
    const shown =
      conversationId &&
      this.channel.show(
        conversationId,
        {
          type: ActivityTypes.Message,
          summary: rendered.summary,
          attachments: [CardFactory.adaptiveCard(rendered.card)],
          channelData: { slack: renderBlockKit(reply) },
        },
        false,
      );
    if (!shown) throw new Error('the playground conversation is gone');
  }

  private requestActivity(request: LeadRequestView): Partial<Activity> {
    return {
      type: ActivityTypes.Message,
      summary: leadRequestSummary(request),
      attachments: [CardFactory.adaptiveCard(renderLeadRequestCard(request))],
    };
  }
}
