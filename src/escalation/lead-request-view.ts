import type { Urgency } from '../conversation/card-action.js';
import type { Platform } from '../conversation/platform.js';
import type { LeadRequestState } from '../storage/record-store.js';
import { ukTimeText } from './working-hours.js';

/** Someone a message names: their platform id (for a mention) and, where the platform needs it (Teams), their display name. */
export interface NamedPerson {
  id: string;
  name?: string;
}

/**
 * A request to the safeguarding leads as every platform shows it, in the leads' channel and in the
 * asker's confirmation. It is built from the record and the knowledge pack only: nothing the asker
 * typed can be in it.
 */
export interface LeadRequestView {
  id: string;
  platform: Platform;
  /** The asker's Slack workspace, Teams tenant or playground conversation (never shown). */
  workspace: string;
  asker: NamedPerson;
  /** The title of the topic the bot answered with; null when it matched none. */
  topicTitle: string | null;
  urgency: Urgency;
  askedAt: Date;
  state: LeadRequestState;
  takenBy?: NamedPerson;
  takenAt?: Date;
  closedBy?: NamedPerson;
  closedAt?: Date;
  /** On a copy posted again because nobody took it in time: why. */
  repostNote?: string;
  /** On the first copy, once it has been posted again: where to look instead (it has no buttons then). */
  supersededNote?: string;
}

export const platformNames: Record<Platform, string> = { slack: 'Slack', teams: 'Teams', playground: 'the playground' };
export const urgencyLabels: Record<Urgency, string> = { today: 'Today', 'this-week': 'This week' };

export const leadRequestHeading = 'Request for a safeguarding lead';
export const questionNotIncluded = 'Their question is not included here: contact them to hear about it.';

/** The facts of a request, label and value, in the order every platform shows them. */
export function requestFacts(view: LeadRequestView): Array<{ label: string; value: string }> {
  return [
    { label: 'Topic', value: view.topicTitle ?? 'None: the bot could not match their question to one topic' },
    { label: 'How soon', value: urgencyLabels[view.urgency] },
    { label: 'Asked in', value: platformNames[view.platform] },
    { label: 'Asked at', value: `${ukTimeText(view.askedAt)} (UK time)` },
  ];
}

/** Where the request stands, with the lead's mention put in by the platform's renderer. */
export function requestStatus(view: LeadRequestView, mention: (person: NamedPerson) => string): string {
  if (view.supersededNote) return view.supersededNote;
  if (view.state === 'closed' && view.closedBy && view.closedAt)
    return `Done: closed by ${mention(view.closedBy)} at ${ukTimeText(view.closedAt)}.${view.takenBy ? ` Taken by ${mention(view.takenBy)}.` : ''}`;
  if (view.state !== 'open' && view.takenBy && view.takenAt) return `Taken by ${mention(view.takenBy)} at ${ukTimeText(view.takenAt)}.`;
  return 'Not taken yet.';
}

/** What the asker is told privately once a lead takes their request. */
export function takenText(view: LeadRequestView, mention: (person: NamedPerson) => string): string {
  const lead = view.takenBy ? mention(view.takenBy) : 'A safeguarding lead';
  const topic = view.topicTitle ? ` about "${view.topicTitle}"` : '';
  return `${lead} has taken your request${topic} (${urgencyLabels[view.urgency].toLowerCase()}) and will contact you.`;
}

/** A display name safe to put inside a Teams mention and a card: letters, digits and a little punctuation. */
export function mentionName(name: string | undefined, fallback: string): string {
  const cleaned = (name ?? '')
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N} .'’()-]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return cleaned || fallback;
}
