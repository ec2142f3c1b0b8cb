import type { Answer, TriageView, WorkArea } from '../engine/index.js';
import type { LeadRequestView } from '../escalation/lead-request-view.js';

/**
 * What the bot decided to say, before any platform formatting. Adapters render it with their
 * renderer (Adaptive Card, Block Kit) and always add the plain-text version.
 */
export type ReplyCard = 'answer' | 'welcome' | 'attachment-warning' | 'notice' | 'triage' | 'more';

export interface Reply {
  card: ReplyCard;
  answer: Answer;
  /** The message was in a shared space and looked like it held a child's personal details. */
  privacyWarning: boolean;
  /** Title and text of a short notice card (feedback thanks, a button that could not be used). */
  notice?: { title: string; text: string };
  /** Offer Helpful / Not helpful buttons for this answer. */
  showFeedback: boolean;
  /** Ask which area the practitioner works in (their consultation line then comes first). */
  askArea?: boolean;
  /** The area the practitioner chose, when known (shown on the help card, where it can be changed). */
  currentArea?: WorkArea;
  /** A step of the "I have a concern" triage (card 'triage'). */
  triage?: TriageView;
  /**
   * "Ask a safeguarding lead": the offer on an answer, clarify or fallback reply, or a step of asking
   * (how soon, what was sent, which lead took it). Each renderer shows it in one place of its own.
   */
  lead?: LeadStep;
  /** For the person who pressed only: in a shared Teams conversation it goes to their 1:1 chat instead. */
  onlyForPresser?: boolean;
  /**
   * Names this reply in its buttons, so one person's feedback on it counts once and a "Yes, now"
   * press on it is counted once. Random, never derived from the user or the message.
   */
  ref?: string;
}

export type LeadStep =
  /** The "Ask a safeguarding lead" button; topicId is the topic the bot answered with (null: none). */
  | { step: 'offer'; topicId: string | null }
  /** How soon: Today or This week. */
  | { step: 'urgency'; topicId: string | null }
  /** Exactly what was posted in the leads' channel. */
  | { step: 'sent'; request: LeadRequestView }
  /** Which lead took the request and will contact the asker. */
  | { step: 'taken'; request: LeadRequestView };
