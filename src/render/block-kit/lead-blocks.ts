import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { type CardAction, cardActions } from '../../conversation/card-action.js';
import type { LeadStep } from '../../conversation/reply.js';
import { safetyLine } from '../../engine/index.js';
import {
  type LeadRequestView,
  leadRequestHeading,
  mentionName,
  type NamedPerson,
  questionNotIncluded,
  requestFacts,
  requestStatus,
  takenText,
} from '../../escalation/lead-request-view.js';
import type { SlackMessage } from './block-kit-renderer.js';
import { escapeMrkdwn as esc } from './mrkdwn.js';

/**
 * "Ask a safeguarding lead" in Block Kit: the blocks a reply gains (the offer, how soon, what was
 * sent, who took it), and the request message posted in the leads' channel. People are named with
 * Slack mentions (<@U…>) built from their user ids only; nothing here comes from what anyone typed.
 */

export const leadOfferTitle = 'Ask a safeguarding lead';

/** The reply's "Ask a safeguarding lead" blocks, placed just before the footer (after 999 on an emergency). */
export function leadBlocks(step: LeadStep | undefined): KnownBlock[] {
  if (!step) return [];
  switch (step.step) {
    case 'offer':
      return [actions('lead', [[leadOfferTitle, cardActions.askLead(step.topicId)]])];
    case 'urgency':
      return [
        actions('lead-urgency', [
          ['Today', cardActions.askLead(step.topicId, 'today'), 'primary'],
          ['This week', cardActions.askLead(step.topicId, 'this-week')],
        ]),
      ];
    case 'sent':
      // A request asked for again: where it stands (a new one is simply open, and says only what was sent).
      return step.request.state === 'open'
        ? requestBlocks(step.request)
        : [
            ...requestBlocks(step.request),
            { type: 'section', text: { type: 'mrkdwn', text: `*${requestStatus(step.request, mention)}*` } },
          ];
    case 'taken':
      return [{ type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: *${takenText(step.request, mention)}*` } }];
  }
}

/** A Slack mention for a user id; anything that is not one is shown as plain, escaped text. */
function mention(person: NamedPerson): string {
  return /^[UW][A-Z0-9]{2,30}$/.test(person.id) ? `<@${person.id}>` : esc(mentionName(person.name, 'a practitioner'));
}

/** What the request says: the same in the leads' channel and in the asker's confirmation. */
function requestBlocks(view: LeadRequestView): KnownBlock[] {
  const facts = requestFacts(view)
    .map((fact) => `*${fact.label}:* ${esc(fact.value)}`)
    .join('\n');
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${leadRequestHeading}*\n${mention(view.asker)} asks a safeguarding lead to contact them.\n${facts}` },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: questionNotIncluded }] },
  ];
}

/** The request as posted (and updated) in the leads' Slack channel. */
export function renderLeadRequestMessage(view: LeadRequestView): SlackMessage {
  const status = requestStatus(view, mention);
  const note = view.supersededNote ? undefined : view.repostNote;
  const buttons: ButtonItem[] =
    view.supersededNote || view.state === 'closed'
      ? []
      : view.state === 'open'
        ? [["I'll take this", cardActions.leadTake(view.id), 'primary']]
        : [['Done', cardActions.leadDone(view.id)]];
  const blocks: KnownBlock[] = [
    ...(note ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `:warning: *${esc(note)}*` } }] : []),
    ...requestBlocks(view),
    { type: 'section', text: { type: 'mrkdwn', text: `*${status}*` } },
    ...(buttons.length > 0 ? [actions('lead-request', buttons)] : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `*${safetyLine}*` }] },
  ];
  // The notification text names the asker too, so a lead sees who from the notification alone.
  const text = `${note ? `${note} ` : ''}${leadRequestHeading}: ${mention(view.asker)} asks a safeguarding lead to contact them (${esc(
    view.topicTitle ?? 'no topic',
  )}). ${status}`;
  return { text, blocks };
}

type ButtonItem = [title: string, action: CardAction, style?: 'primary'];

function actions(kind: string, items: ButtonItem[]): ActionsBlock {
  return {
    type: 'actions',
    block_id: `sa_${kind}`,
    elements: items.map(
      ([title, action, style], index): Button => ({
        type: 'button',
        action_id: `sa_${kind}_${index}`,
        text: { type: 'plain_text', text: title, emoji: true },
        value: JSON.stringify(action),
        ...(style ? { style } : {}),
      }),
    ),
  };
}
