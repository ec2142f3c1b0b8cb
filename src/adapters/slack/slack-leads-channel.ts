import type { WebClient } from '@slack/web-api';
import type { Reply } from '../../conversation/reply.js';
import type { LeadRequestView } from '../../escalation/lead-request-view.js';
import type { AskerAddress, LeadsChannel, Presser } from '../../escalation/lead-requests.js';
import { renderBlockKit } from '../../render/block-kit/block-kit-renderer.js';
import { renderLeadRequestMessage } from '../../render/block-kit/lead-blocks.js';

/**
 * The leads' Slack channel (ESCALATION_SLACK_CHANNEL): requests are posted there with
 * chat.postMessage and updated with chat.update; askers are told in a direct message from the bot.
 */
export class SlackLeadsChannel implements LeadsChannel {
  constructor(
    private readonly client: WebClient,
    private readonly channelId: string,
  ) {}

  async isLeadsChannel(presser: Presser): Promise<boolean> {
    return presser.conversation === this.channelId;
  }

  async post(request: LeadRequestView): Promise<string> {
    const posted = await this.client.chat.postMessage({ channel: this.channelId, ...renderLeadRequestMessage(request) });
    if (!posted.ts) throw new Error('Slack did not say where the request was posted');
    return JSON.stringify({ channel: this.channelId, ts: posted.ts });
  }

  async update(post: string, request: LeadRequestView): Promise<void> {
    const { channel, ts } = JSON.parse(post) as { channel: string; ts: string };
    await this.client.chat.update({ channel, ts, ...renderLeadRequestMessage(request) });
  }

  async tellAsker(asker: AskerAddress, reply: Reply): Promise<void> {
    const opened = await this.client.conversations.open({ users: asker.id });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('Slack did not open a direct message with the asker');
    await this.client.chat.postMessage({ channel, ...renderBlockKit(reply) });
  }
}
