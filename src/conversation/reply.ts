import type { Answer, TriageView, WorkArea } from '../engine/index.js';

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
   * Names this reply in its buttons, so one person's feedback on it counts once and a "Yes, now"
   * press on it is counted once. Random, never derived from the user or the message.
   */
  ref?: string;
}
