import { cardActions } from '../../conversation/card-action.js';
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
import { escapeCardText as esc } from './card-text.js';

/**
 * "Ask a safeguarding lead" in Adaptive Cards (Teams and the playground): the one element a reply
 * gains (the offer, how soon, what was sent, who took it), and the request card posted in the
 * leads' channel. People are named with Teams mentions (<at>name</at> and an entity), so a lead can
 * reach the asker and the asker sees which lead took it. Nothing here comes from what anyone typed.
 */

type Element = Record<string, unknown>;

interface Mention {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/** Collects the mentions a card uses; Teams needs each as an entity of the card. */
class Mentions {
  readonly entities: Mention[] = [];

  of(person: NamedPerson, fallback: string): string {
    const text = `<at>${mentionName(person.name, fallback)}</at>`;
    if (!this.entities.some((entity) => entity.text === text && entity.mentioned.id === person.id))
      this.entities.push({ type: 'mention', text, mentioned: { id: person.id, name: mentionName(person.name, fallback) } });
    return text;
  }
}

export const leadOfferTitle = 'Ask a safeguarding lead';

/**
 * Adds the reply's "Ask a safeguarding lead" element to a card, just before the footer (the 999
 * line and the source, which stay last), so on an emergency card it comes after 999.
 */
export function addLeadElement(card: Record<string, unknown>, step: LeadStep): void {
  const body = card.body as Element[];
  const mentions = new Mentions();
  body.splice(Math.max(body.length - 1, 0), 0, leadElement(step, mentions));
  withMentions(card, mentions);
}

function leadElement(step: LeadStep, mentions: Mentions): Element {
  switch (step.step) {
    case 'offer':
      return {
        type: 'Container',
        id: 'lead-offer',
        separator: true,
        spacing: 'Medium',
        items: [
          {
            type: 'TextBlock',
            text: 'Want to talk it through? A safeguarding lead in your organisation can contact you. Only your name and the topic are sent, never what you typed.',
            wrap: true,
            isSubtle: true,
            size: 'Small',
          },
          { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: leadOfferTitle, data: cardActions.askLead(step.topicId) }] },
        ],
      };
    case 'urgency':
      return {
        type: 'ActionSet',
        id: 'lead-urgency',
        actions: [
          { type: 'Action.Submit', title: 'Today', style: 'positive', data: cardActions.askLead(step.topicId, 'today') },
          { type: 'Action.Submit', title: 'This week', data: cardActions.askLead(step.topicId, 'this-week') },
        ],
      };
    case 'sent': {
      // A request asked for again: where it stands (a new one is simply open, and says only what was sent).
      const status =
        step.request.state === 'open'
          ? []
          : [
              {
                type: 'TextBlock',
                text: requestStatus(step.request, (person) => mentions.of(person, 'A safeguarding lead')),
                wrap: true,
                weight: 'Bolder',
              },
            ];
      return {
        type: 'Container',
        id: 'lead-sent',
        style: 'emphasis',
        spacing: 'Medium',
        items: [...requestBody(step.request, mentions), ...status],
      };
    }
    case 'taken':
      return {
        type: 'Container',
        id: 'lead-taken',
        style: 'good',
        spacing: 'Medium',
        items: [
          {
            type: 'TextBlock',
            text: takenText(step.request, (person) => mentions.of(person, 'A safeguarding lead')),
            wrap: true,
            weight: 'Bolder',
          },
        ],
      };
  }
}

/** What the request says: the same in the leads' channel and in the asker's confirmation. */
function requestBody(view: LeadRequestView, mentions: Mentions): Element[] {
  const asker = mentions.of(view.asker, 'A practitioner');
  return [
    { type: 'TextBlock', text: leadRequestHeading, wrap: true, weight: 'Bolder', size: 'Medium', style: 'heading' },
    { type: 'TextBlock', text: `${asker} asks a safeguarding lead to contact them.`, wrap: true },
    { type: 'FactSet', facts: requestFacts(view).map((fact) => ({ title: fact.label, value: esc(fact.value) })) },
    { type: 'TextBlock', text: questionNotIncluded, wrap: true, isSubtle: true, size: 'Small' },
  ];
}

/** The request as posted (and updated) in the leads' Teams channel. */
export function renderLeadRequestCard(view: LeadRequestView): Record<string, unknown> {
  const mentions = new Mentions();
  const note = view.supersededNote ? undefined : view.repostNote;
  const status = requestStatus(view, (person) => mentions.of(person, 'A safeguarding lead'));
  const actions =
    view.supersededNote || view.state === 'closed'
      ? []
      : view.state === 'open'
        ? [{ type: 'Action.Submit', title: "I'll take this", style: 'positive', data: cardActions.leadTake(view.id) }]
        : [{ type: 'Action.Submit', title: 'Done', data: cardActions.leadDone(view.id) }];
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    speak: `${leadRequestHeading}. ${status}`,
    body: [
      ...(note ? [{ type: 'TextBlock', text: esc(note), wrap: true, weight: 'Bolder', color: 'Attention' }] : []),
      ...requestBody(view, mentions),
      {
        type: 'TextBlock',
        text: status,
        wrap: true,
        weight: 'Bolder',
        color: view.state === 'open' && !view.supersededNote ? 'Attention' : 'Good',
        separator: true,
      },
      ...(actions.length > 0 ? [{ type: 'ActionSet', actions }] : []),
      { type: 'TextBlock', text: safetyLine, wrap: true, weight: 'Bolder', color: 'Attention', separator: true },
    ],
  };
  withMentions(card, mentions);
  return card;
}

/** A short plain-text line for notifications, with names rather than mentions. */
export function leadRequestSummary(view: LeadRequestView): string {
  const status = requestStatus(view, (person) => mentionName(person.name, 'a lead'));
  return `${leadRequestHeading}: ${view.topicTitle ?? 'no topic'}. ${status}`;
}

function withMentions(card: Record<string, unknown>, mentions: Mentions): void {
  if (mentions.entities.length === 0) return;
  const msteams = (card.msteams as { entities?: Mention[] } | undefined) ?? {};
  card.msteams = { ...msteams, entities: [...(msteams.entities ?? []), ...mentions.entities] };
}
