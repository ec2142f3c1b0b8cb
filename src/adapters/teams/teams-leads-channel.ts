import { type Activity, ActivityTypes, CardFactory, type ConversationReference } from 'botbuilder';
import type { Clock } from '../../clock.js';
import type { TeamsChannelSetting } from '../../config.js';
import type { Reply } from '../../conversation/reply.js';
import { errorSummary } from '../../error-summary.js';
import type { LeadRequestView } from '../../escalation/lead-request-view.js';
import type { AskerAddress, LeadsChannel, Presser } from '../../escalation/lead-requests.js';
import type { Logger } from '../../logger.js';
import type { AdaptiveCardRenderer } from '../../render/adaptive-card/adaptive-card-renderer.js';
import { leadRequestSummary, renderLeadRequestCard } from '../../render/adaptive-card/lead-cards.js';
import type { RecordStore } from '../../storage/record-store.js';
import type { SafeguardingCloudAdapter } from './bot-framework-adapter.js';

/** The name the leads' channel reference is kept under in the record store. */
export const teamsLeadsReferenceName = 'teams-leads-channel';

/** What the bot learns of the leads' channel when it is added to that team: enough to post there. */
interface LeadsChannelReference {
  serviceUrl: string;
  tenantId: string;
  teamId: string;
  channelId: string;
  bot: { id: string; name?: string };
}

/**
 * The leads' Teams channel (ESCALATION_TEAMS_CHANNEL). Teams gives a bot no way to post to a
 * channel it has not heard from, so the bot learns how to reach it from the team's own activities
 * (being added to the team, or any message or event from it) and keeps that in the record store,
 * where every instance finds it. Requests are posted as a new thread, updated in place, and askers
 * are told in their 1:1 chat with the bot. Every connector call has the same deadline as a request's.
 */
export class TeamsLeadsChannel implements LeadsChannel {
  private lastSaved = '';

  constructor(
    private readonly setting: TeamsChannelSetting,
    private readonly adapter: SafeguardingCloudAdapter,
    private readonly appId: string,
    private readonly store: RecordStore,
    private readonly cards: AdaptiveCardRenderer,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Called for every Teams activity: one from the leads' team (its General channel, the leads'
   * channel itself, or the team the channel link names) teaches the bot where to post. The
   * service URL is one the request's token vouched for (the route checks that before any turn).
   */
  async observe(activity: Partial<Activity>): Promise<void> {
    if (activity.channelId !== 'msteams' || !activity.serviceUrl || !activity.recipient?.id) return;
    const channelData = (activity.channelData ?? {}) as {
      team?: { id?: string; aadGroupId?: string };
      channel?: { id?: string };
      tenant?: { id?: string };
    };
    const teamId = channelData.team?.id;
    if (!teamId) return;
    const { channelId, groupId, tenantId: wantedTenant } = this.setting;
    const conversation = activity.conversation?.id?.split(';')[0];
    const fromLeadsTeam =
      channelData.channel?.id === channelId ||
      conversation === channelId ||
      teamId === channelId ||
      (groupId !== undefined && channelData.team?.aadGroupId === groupId);
    const tenantId = activity.conversation?.tenantId ?? channelData.tenant?.id ?? '';
    if (!fromLeadsTeam || (wantedTenant && tenantId !== wantedTenant)) return;
    const reference: LeadsChannelReference = {
      serviceUrl: activity.serviceUrl,
      tenantId,
      teamId,
      channelId,
      bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
    };
    const json = JSON.stringify(reference);
    if (json === this.lastSaved) return;
    try {
      await this.store.setChannelReference(teamsLeadsReferenceName, json, this.clock().toISOString());
      this.lastSaved = json;
      this.logger.info({ event: 'teams-leads-channel-learnt' }, "learnt how to post in the safeguarding leads' Teams channel");
    } catch (error) {
      this.logger.error({ event: 'teams-leads-channel-not-kept', err: errorSummary(error) }, "could not keep the leads' channel reference");
    }
  }

  /** Whether the bot has learnt the leads' channel yet (for the start-up log). */
  async isKnown(): Promise<boolean> {
    return (await this.reference()) !== undefined;
  }

  async isLeadsChannel(presser: Presser): Promise<boolean> {
    if (presser.conversation !== this.setting.channelId) return false;
    const reference = await this.reference();
    return reference !== undefined && reference.tenantId === presser.workspace;
  }

  /** A new thread in the leads' channel, started as Teams documents it: a conversation created in the channel with the card as its first message. */
  async post(request: LeadRequestView): Promise<string> {
    const reference = await this.reference();
    if (!reference)
      throw new Error(
        "the bot has not yet learnt the leads' Teams channel: add it to the team that holds ESCALATION_TEAMS_CHANNEL (or remove and add it again)",
      );
    const created = await this.adapter.createConversation(this.appId, reference.serviceUrl, {
      isGroup: true,
      bot: { id: reference.bot.id, name: reference.bot.name ?? 'Safeguarding Assistant' },
      tenantId: reference.tenantId,
      channelData: { channel: { id: reference.channelId }, tenant: { id: reference.tenantId } },
      activity: this.requestActivity(request) as Activity,
    });
    if (!created.activityId) throw new Error('the Bot Connector did not say where the request was posted');
    return JSON.stringify({ conversationId: created.id, activityId: created.activityId });
  }

  async update(post: string, request: LeadRequestView): Promise<void> {
    const reference = await this.reference();
    if (!reference) throw new Error("the leads' Teams channel is not known");
    const { conversationId, activityId } = JSON.parse(post) as { conversationId: string; activityId: string };
    await this.adapter.proactive(this.appId, this.channelConversation(reference, conversationId), async (context) => {
      await context.updateActivity({ ...this.requestActivity(request), id: activityId, conversation: { id: conversationId } as never });
    });
  }

  async tellAsker(asker: AskerAddress, reply: Reply): Promise<void> {
    const rendered = this.cards.render(reply);
    await this.sendToPersonalChat(asker, {
      type: ActivityTypes.Message,
      summary: rendered.summary,
      attachments: [CardFactory.adaptiveCard(rendered.card)],
    });
  }

  /** Sends to a person's 1:1 chat with the bot: the one they asked from, or one opened for them. */
  async sendToPersonalChat(person: AskerAddress, activity: Partial<Activity>): Promise<void> {
    const { serviceUrl, tenantId, bot } = person;
    if (!serviceUrl || !bot) throw new Error('no way to reach this person privately');
    const conversationId =
      person.personalChat ??
      (
        await this.adapter.createConversation(this.appId, serviceUrl, {
          isGroup: false,
          bot: { id: bot, name: 'Safeguarding Assistant' },
          members: [{ id: person.id, name: person.name ?? '' }],
          ...(tenantId ? { tenantId } : {}),
          channelData: tenantId ? { tenant: { id: tenantId } } : {},
        })
      ).id;
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl,
      bot: { id: bot, name: 'Safeguarding Assistant' },
      conversation: { id: conversationId, conversationType: 'personal', isGroup: false, name: '', ...(tenantId ? { tenantId } : {}) },
    };
    await this.adapter.proactive(this.appId, reference, async (context) => {
      await context.sendActivity(activity);
    });
  }

  private requestActivity(request: LeadRequestView): Partial<Activity> {
    return {
      type: ActivityTypes.Message,
      summary: leadRequestSummary(request),
      attachments: [CardFactory.adaptiveCard(renderLeadRequestCard(request))],
    };
  }

  private channelConversation(reference: LeadsChannelReference, conversationId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: reference.serviceUrl,
      bot: { id: reference.bot.id, name: reference.bot.name ?? 'Safeguarding Assistant' },
      conversation: { id: conversationId, conversationType: 'channel', isGroup: true, name: '', tenantId: reference.tenantId },
    };
  }

  private async reference(): Promise<LeadsChannelReference | undefined> {
    const json = await this.store.getChannelReference(teamsLeadsReferenceName);
    return json ? (JSON.parse(json) as LeadsChannelReference) : undefined;
  }
}

/** How to reach a Teams user privately later, from the activity they sent: kept with their request. */
export function teamsAddress(activity: Partial<Activity>, personal: boolean): Record<string, string> {
  const tenantId = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return {
    ...(activity.serviceUrl ? { serviceUrl: activity.serviceUrl } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(activity.recipient?.id ? { bot: activity.recipient.id } : {}),
    ...(personal && activity.conversation?.id ? { personalChat: activity.conversation.id } : {}),
  };
}
