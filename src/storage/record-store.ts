import type { FeedbackVerdict } from '../conversation/card-action.js';
import type { Platform } from '../conversation/platform.js';
import type { AnswerKind, RiskBand, WorkArea } from '../engine/index.js';

/**
 * What the bot keeps: feedback per topic, counts of questions per kind and topic, each user's
 * chosen area (under a one-way hash of their id), and, only when RECORD_UNANSWERED is on,
 * redacted questions it could not answer confidently, for 90 days. Never message text otherwise,
 * never who asked what.
 */
export interface RecordStore {
  recordFeedback(topicId: string, verdict: FeedbackVerdict, platform: Platform, day: string): void;
  /**
   * Feedback that counts once per person per answer: a second press on the same answer (the same
   * `answerRef`) replaces the verdict rather than adding a vote. True when it is the person's first.
   */
  recordFeedbackOnce(feedback: OnceFeedback, platform: Platform, day: string): boolean;
  /** A reply that first asked "Is a child in danger right now?" (the possible band). */
  recordPossibleRisk(platform: Platform, day: string): void;
  /** "Yes, now" pressed on such a reply: counted once per reply. */
  recordDangerConfirmed(answerRef: string, platform: Platform, day: string): void;
  recordQuestion(kind: AnswerKind, topicId: string | null, platform: Platform, day: string): void;
  /** `redactedText` must already have names, numbers, emails, postcodes and dates removed. */
  recordUnanswered(redactedText: string, kind: AnswerKind, platform: Platform, day: string, expiresDay: string): void;
  getArea(userKey: string): WorkArea | undefined;
  setArea(userKey: string, area: WorkArea, day: string): void;
  /** Removes unanswered questions past their expiry day; returns how many went. */
  pruneExpired(today: string): number;
  report(): StoreReport;
  close(): void;
}

export interface OnceFeedback {
  /** One-way hash of the person (see userKey). */
  userKey: string;
  /** Names the reply the buttons were on. */
  answerRef: string;
  topicId: string;
  verdict: FeedbackVerdict;
  /** The band of the reply: so "emergency cards marked not helpful" can be counted. */
  risk: RiskBand;
}

export interface StoreReport {
  questionsByKind: Array<{ kind: string; count: number }>;
  questionsByTopic: Array<{ topicId: string; count: number }>;
  feedbackByTopic: Array<{ topicId: string; helpful: number; notHelpful: number }>;
  unanswered: Array<{ text: string; count: number; lastDay: string }>;
  /** Replies in the possible band, and how many of them had "Yes, now" pressed. */
  possibleRisk: { replies: number; confirmed: number };
  /** Emergency cards marked not helpful, by the topic they led to: where the next round of checks should look. */
  emergencyNotHelpful: Array<{ topicId: string; count: number }>;
}
