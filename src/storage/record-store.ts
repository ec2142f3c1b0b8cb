import type { FeedbackVerdict } from '../conversation/card-action.js';
import type { Platform } from '../conversation/platform.js';
import type { AnswerKind, WorkArea } from '../engine/index.js';

/**
 * What the bot keeps: feedback per topic, counts of questions per kind and topic, each user's
 * chosen area (under a one-way hash of their id), and, only when RECORD_UNANSWERED is on,
 * redacted questions it could not answer confidently, for 90 days. Never message text otherwise,
 * never who asked what.
 *
 * Every method returns a promise: the SQLite store answers at once, while PostgreSQL (shared by
 * several instances) answers over the network.
 */
export interface RecordStore {
  /** Which kind of store, for logs and metrics ("sqlite" or "postgres"). */
  readonly kind: string;
  recordFeedback(topicId: string, verdict: FeedbackVerdict, platform: Platform, day: string): Promise<void>;
  recordQuestion(kind: AnswerKind, topicId: string | null, platform: Platform, day: string): Promise<void>;
  /** `redactedText` must already have names, numbers, emails, postcodes and dates removed. */
  recordUnanswered(redactedText: string, kind: AnswerKind, platform: Platform, day: string, expiresDay: string): Promise<void>;
  getArea(userKey: string): Promise<WorkArea | undefined>;
  setArea(userKey: string, area: WorkArea, day: string): Promise<void>;
  /** Removes unanswered questions past their expiry day; resolves with how many went. */
  pruneExpired(today: string): Promise<number>;
  report(): Promise<StoreReport>;
  close(): Promise<void>;
}

export interface StoreReport {
  questionsByKind: Array<{ kind: string; count: number }>;
  questionsByTopic: Array<{ topicId: string; count: number }>;
  feedbackByTopic: Array<{ topicId: string; helpful: number; notHelpful: number }>;
  unanswered: Array<{ text: string; count: number; lastDay: string }>;
}

/** Redacted questions are cut to this length before they are kept. */
export const maxUnansweredLength = 500;
