import { randomBytes } from 'node:crypto';
import { addDays, type Clock, ukDay } from '../clock.js';
import type { EscalationSettings } from '../config.js';
import type { Urgency } from '../conversation/card-action.js';
import type { Platform } from '../conversation/platform.js';
import type { Reply } from '../conversation/reply.js';
import type { Engine } from '../engine/index.js';
import { errorSummary } from '../error-summary.js';
import type { Logger } from '../logger.js';
import type { LeadPerson, LeadRequestRecord, RecordStore } from '../storage/record-store.js';
import type { LeadRequestView, NamedPerson } from './lead-request-view.js';
import { addWorkingHours, workingHoursText } from './working-hours.js';

/** Closed requests are kept this long, then deleted. */
export const closedRequestRetentionDays = 30;

/**
 * Who pressed a button, and where: what a platform adapter knows of a turn, for asking a lead (to
 * mention the asker and tell them privately later) and for checking a lead's press.
 */
export interface Presser {
  /** The platform's id for the person (a Slack user id, a Teams account id, the playground's user). */
  id: string;
  /** Their display name, for a Teams mention. */
  name?: string;
  /** The Slack workspace (team) id, the Teams tenant id, or the playground conversation. */
  workspace: string;
  /** The conversation the press came from (a Slack channel id, a Teams conversation id without its message id). */
  conversation: string;
  /** How to reach them privately later, as the platform needs it (Teams: service URL and their 1:1 chat). */
  address?: Record<string, string>;
}

/** Where an asker can be told something privately: what was kept of their Presser. */
export interface AskerAddress extends Record<string, string | undefined> {
  id: string;
  name?: string;
}

/** A platform's leads' channel: where requests are posted and updated, and how askers are told. */
export interface LeadsChannel {
  /** Did this press come from the leads' channel (and not from any other channel or chat)? */
  isLeadsChannel(presser: Presser): Promise<boolean>;
  /** Posts a request; resolves with where it is (JSON), to update it later. Rejects when the channel cannot be reached. */
  post(request: LeadRequestView): Promise<string>;
  update(post: string, request: LeadRequestView): Promise<void>;
  /** Sends the asker a private message. */
  tellAsker(asker: AskerAddress, reply: Reply): Promise<void>;
}

export type AskOutcome =
  | { outcome: 'sent'; request: LeadRequestView }
  | { outcome: 'already-asked'; request: LeadRequestView }
  | { outcome: 'unavailable' };

export type LeadActionOutcome =
  | { outcome: 'done'; request: LeadRequestView; askerTold: boolean }
  | {
      outcome: 'refused';
      reason: 'not-found' | 'wrong-place' | 'already-taken' | 'not-taken' | 'already-closed';
      request?: LeadRequestView;
    };

export type LeadEvent = 'asked' | 'taken' | 'closed' | 'reposted' | 'refused' | 'failed';

export interface LeadRequestsOptions {
  settings: EscalationSettings;
  store: RecordStore;
  engine: Engine;
  clock: Clock;
  logger: Logger;
  /** Counts events for /metrics. */
  count?: (platform: Platform, event: LeadEvent) => void;
}

/**
 * "Ask a safeguarding lead", platform-free: requests are kept in the record store (shared by every
 * instance), posted to the platform's leads' channel, taken and closed there by a lead, and posted
 * again once if nobody takes them in time. Nothing the asker typed is ever passed in: a request
 * is built from the topic id the bot answered with, the urgency the asker picked, who they are and
 * the time.
 */
export class LeadRequests {
  private readonly channels = new Map<Platform, LeadsChannel>();

  constructor(private readonly options: LeadRequestsOptions) {}

  /** A platform's leads' channel, where its requests go (each platform's requests go to its own). */
  connect(platform: Platform, channel: LeadsChannel): void {
    this.channels.set(platform, channel);
  }

  /** Whether replies on this platform offer "Ask a safeguarding lead". */
  offeredOn(platform: Platform): boolean {
    return this.channels.has(platform);
  }

  /** Is this a topic a request may name (or none)? */
  knowsTopic(topicId: string | undefined): boolean {
    return topicId === undefined || this.options.engine.pack.topicsById.has(topicId);
  }

  async ask(platform: Platform, asker: Presser, topicId: string | null, urgency: Urgency): Promise<AskOutcome> {
    const channel = this.channels.get(platform);
    if (!channel) return { outcome: 'unavailable' };
    const { store, clock, logger, settings } = this.options;
    let id: string | undefined;
    try {
      const earlier = await store.activeLeadRequest(platform, asker.id, topicId);
      if (earlier) return { outcome: 'already-asked', request: this.view(earlier) };
      const askedAt = clock();
      id = randomBytes(12).toString('hex');
      const address: AskerAddress = { ...asker.address, id: asker.id, ...(asker.name ? { name: asker.name } : {}) };
      await store.createLeadRequest({
        id,
        platform,
        workspace: asker.workspace,
        askerId: asker.id,
        askerAddress: JSON.stringify(address),
        topicId,
        urgency,
        askedAt: askedAt.toISOString(),
        dueAt: addWorkingHours(askedAt, settings.repostAfterHours, settings.workingDay).toISOString(),
      });
      const record = (await store.getLeadRequest(id))!;
      const view = this.view(record);
      const post = await channel.post(view);
      await store.setLeadRequestPost(id, post);
      logger.info({ event: 'lead-request-sent', platform, topicId, urgency }, 'request sent to the safeguarding leads');
      this.count(platform, 'asked');
      return { outcome: 'sent', request: view };
    } catch (error) {
      logger.error(
        { event: 'lead-request-failed', platform, err: errorSummary(error) },
        'could not send a request to the safeguarding leads',
      );
      this.count(platform, 'failed');
      if (id) await store.deleteLeadRequest(id).catch(() => {});
      return { outcome: 'unavailable' };
    }
  }

  /** A lead presses "I'll take this": the channel message shows who took it and when, and the asker is told privately. */
  async take(
    platform: Platform,
    lead: Presser,
    requestId: string,
    tellAsker: (request: LeadRequestView) => Reply,
  ): Promise<LeadActionOutcome> {
    const checked = await this.checkPress(platform, lead, requestId);
    if (!('record' in checked)) return checked;
    const { store, clock, logger } = this.options;
    const person: LeadPerson = { id: lead.id, name: lead.name ?? null };
    if (!(await store.takeLeadRequest(requestId, person, clock().toISOString()))) {
      const now = await store.getLeadRequest(requestId);
      return this.refused(platform, now?.state === 'closed' ? 'already-closed' : 'already-taken', now);
    }
    const record = (await store.getLeadRequest(requestId))!;
    const view = this.view(record);
    await this.updatePost(checked.channel, record, view);
    let askerTold = true;
    try {
      await checked.channel.tellAsker(JSON.parse(record.askerAddress) as AskerAddress, tellAsker(view));
    } catch (error) {
      askerTold = false;
      logger.error({ event: 'lead-asker-not-told', platform, err: errorSummary(error) }, 'could not tell the asker who took their request');
    }
    logger.info({ event: 'lead-request-taken', platform, topicId: record.topicId }, 'a safeguarding lead took a request');
    this.count(platform, 'taken');
    return { outcome: 'done', request: view, askerTold };
  }

  /** A lead presses "Done": the request is closed, and deleted 30 days later. */
  async close(platform: Platform, lead: Presser, requestId: string): Promise<LeadActionOutcome> {
    const checked = await this.checkPress(platform, lead, requestId);
    if (!('record' in checked)) return checked;
    const { store, clock } = this.options;
    const now = clock();
    const person: LeadPerson = { id: lead.id, name: lead.name ?? null };
    if (!(await store.closeLeadRequest(requestId, person, now.toISOString(), addDays(ukDay(now), closedRequestRetentionDays)))) {
      const current = await store.getLeadRequest(requestId);
      return this.refused(platform, current?.state === 'closed' ? 'already-closed' : 'not-taken', current);
    }
    const record = (await store.getLeadRequest(requestId))!;
    const view = this.view(record);
    await this.updatePost(checked.channel, record, view);
    this.options.logger.info({ event: 'lead-request-closed', platform, topicId: record.topicId }, 'a lead request was closed');
    this.count(platform, 'closed');
    return { outcome: 'done', request: view, askerTold: true };
  }

  /**
   * Posts again, once, every request nobody took within the configured working hours, with a note,
   * and marks the first copy as posted again. Each is claimed by one instance only. Never rejects.
   */
  async repostOverdue(): Promise<number> {
    const { store, clock, logger, settings } = this.options;
    let claimed: LeadRequestRecord[];
    try {
      claimed = await store.claimOverdueLeadRequests(clock().toISOString());
    } catch (error) {
      logger.error({ event: 'lead-repost-failed', err: errorSummary(error) }, 'could not look for requests nobody has taken');
      return 0;
    }
    let reposted = 0;
    const within = workingHoursText(settings.repostAfterHours);
    for (const record of claimed) {
      const channel = this.channels.get(record.platform);
      if (!channel) continue;
      try {
        const view = this.view(record);
        const post = await channel.post({ ...view, repostNote: `Nobody has taken this within ${within}, so it is posted again.` });
        if (record.post) {
          await channel
            .update(record.post, { ...view, supersededNote: `Posted again: nobody took this within ${within}.` })
            .catch((error: unknown) =>
              logger.warn({ event: 'lead-post-not-updated', err: errorSummary(error) }, 'could not mark the first copy as posted again'),
            );
        }
        await store.setLeadRequestPost(record.id, post);
        logger.info(
          { event: 'lead-request-reposted', platform: record.platform, topicId: record.topicId },
          'a request nobody took was posted again',
        );
        this.count(record.platform, 'reposted');
        reposted++;
      } catch (error) {
        logger.error(
          { event: 'lead-repost-failed', platform: record.platform, err: errorSummary(error) },
          'could not post a request again',
        );
      }
    }
    return reposted;
  }

  /** The request as shown: its record, with the topic's title from the pack and the names kept for mentions. */
  view(record: LeadRequestRecord): LeadRequestView {
    const address = parseAddress(record.askerAddress);
    const person = (kept: LeadPerson | null): NamedPerson | undefined =>
      kept ? { id: kept.id, ...(kept.name ? { name: kept.name } : {}) } : undefined;
    const takenBy = person(record.takenBy);
    const closedBy = person(record.closedBy);
    return {
      id: record.id,
      platform: record.platform,
      workspace: record.workspace,
      asker: { id: record.askerId, ...(address.name ? { name: address.name } : {}) },
      topicTitle: record.topicId ? (this.options.engine.pack.topicsById.get(record.topicId)?.title ?? null) : null,
      urgency: record.urgency,
      askedAt: new Date(record.askedAt),
      state: record.state,
      ...(takenBy ? { takenBy } : {}),
      ...(record.takenAt ? { takenAt: new Date(record.takenAt) } : {}),
      ...(closedBy ? { closedBy } : {}),
      ...(record.closedAt ? { closedAt: new Date(record.closedAt) } : {}),
      ...(record.repostedAt
        ? { repostNote: `Nobody took this within ${workingHoursText(this.options.settings.repostAfterHours)}, so it was posted again.` }
        : {}),
    };
  }

  /** A lead's press counts only from the leads' channel of the request's own platform and workspace. */
  private async checkPress(
    platform: Platform,
    lead: Presser,
    requestId: string,
  ): Promise<{ record: LeadRequestRecord; channel: LeadsChannel } | Extract<LeadActionOutcome, { outcome: 'refused' }>> {
    const channel = this.channels.get(platform);
    const record = await this.options.store.getLeadRequest(requestId);
    if (!record) return this.refused(platform, 'not-found');
    if (!channel || record.platform !== platform || record.workspace !== lead.workspace || !(await channel.isLeadsChannel(lead))) {
      this.options.logger.warn(
        { event: 'lead-action-refused', platform, reason: 'wrong-place' },
        "a lead button was pressed outside the request's leads' channel",
      );
      return this.refused(platform, 'wrong-place');
    }
    return { record, channel };
  }

  private refused(platform: Platform, reason: Extract<LeadActionOutcome, { outcome: 'refused' }>['reason'], record?: LeadRequestRecord) {
    this.count(platform, 'refused');
    return { outcome: 'refused' as const, reason, ...(record && reason !== 'wrong-place' ? { request: this.view(record) } : {}) };
  }

  private async updatePost(channel: LeadsChannel, record: LeadRequestRecord, view: LeadRequestView): Promise<void> {
    if (!record.post) return;
    try {
      await channel.update(record.post, view);
    } catch (error) {
      this.options.logger.warn(
        { event: 'lead-post-not-updated', platform: record.platform, err: errorSummary(error) },
        'could not update the request in the leads channel',
      );
    }
  }

  private count(platform: Platform, event: LeadEvent): void {
    this.options.count?.(platform, event);
  }
}

function parseAddress(json: string): AskerAddress {
  try {
    const parsed = JSON.parse(json) as AskerAddress;
    return typeof parsed === 'object' && parsed !== null ? parsed : { id: '' };
  } catch {
    return { id: '' };
  }
}
