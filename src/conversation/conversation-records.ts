import { createHash } from 'node:crypto';
import { addDays, type Clock, ukDay } from '../clock.js';
import type { Answer, RiskBand, WorkArea } from '../engine/index.js';
import { errorSummary } from '../error-summary.js';
import type { Logger } from '../logger.js';
import type { RecordStore } from '../storage/record-store.js';
import type { FeedbackVerdict } from './card-action.js';
import type { Platform } from './platform.js';

/** How long redacted unanswered questions are kept. */
export const unansweredRetentionDays = 90;

/** What the conversation keeps, and never lets a storage failure cost the user a reply. */
export interface ConversationRecords {
  feedback(topicId: string, verdict: FeedbackVerdict, platform: Platform): void;
  /** One person's feedback on one answer, counted once however often they press; true the first time. */
  feedbackOnce(userId: string, answerRef: string, topicId: string, verdict: FeedbackVerdict, risk: RiskBand, platform: Platform): boolean;
  /** A reply that first asked "Is a child in danger right now?". */
  possibleRisk(platform: Platform): void;
  /** "Yes, now" pressed on such a reply (counted once per reply). */
  dangerConfirmed(answerRef: string, platform: Platform): void;
  /** Counts the question by kind and topic; keeps its redacted text only when it was not answered confidently and recording is on. */
  question(answer: Answer, platform: Platform, redactedQuestion: () => string): void;
  getArea(userId: string, platform: Platform): WorkArea | undefined;
  setArea(userId: string, platform: Platform, area: WorkArea): void;
}

export interface RecordsOptions {
  recordUnanswered: boolean;
}

export class StoredConversationRecords implements ConversationRecords {
  constructor(
    private readonly store: RecordStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: RecordsOptions,
  ) {}

  feedback(topicId: string, verdict: FeedbackVerdict, platform: Platform): void {
    this.safely('feedback', () => this.store.recordFeedback(topicId, verdict, platform, this.today()));
  }

  feedbackOnce(userId: string, answerRef: string, topicId: string, verdict: FeedbackVerdict, risk: RiskBand, platform: Platform): boolean {
    let first = true;
    this.safely('feedback', () => {
      first = this.store.recordFeedbackOnce(
        { userKey: userKey(userId, platform), answerRef, topicId, verdict, risk },
        platform,
        this.today(),
      );
    });
    return first;
  }

  possibleRisk(platform: Platform): void {
    this.safely('possible-risk', () => this.store.recordPossibleRisk(platform, this.today()));
  }

  dangerConfirmed(answerRef: string, platform: Platform): void {
    this.safely('danger-confirmed', () => this.store.recordDangerConfirmed(answerRef, platform, this.today()));
  }

  question(answer: Answer, platform: Platform, redactedQuestion: () => string): void {
    this.safely('question', () => {
      const today = this.today();
      this.store.recordQuestion(answer.kind, answer.topicId, platform, today);
      if (this.options.recordUnanswered && (answer.kind === 'fallback' || answer.kind === 'clarify')) {
        const redacted = redactedQuestion().trim();
        if (redacted) this.store.recordUnanswered(redacted, answer.kind, platform, today, addDays(today, unansweredRetentionDays));
      }
    });
  }

  getArea(userId: string, platform: Platform): WorkArea | undefined {
    let area: WorkArea | undefined;
    this.safely('get-area', () => {
      area = this.store.getArea(userKey(userId, platform));
    });
    return area;
  }

  setArea(userId: string, platform: Platform, area: WorkArea): void {
    this.safely('set-area', () => this.store.setArea(userKey(userId, platform), area, this.today()));
  }

  private today(): string {
    return ukDay(this.clock());
  }

  private safely(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      // A locked or full disk is logged; the user still gets their answer.
      this.logger.error({ event: 'record-failed', record: what, err: errorSummary(error) }, 'could not write to the record store');
    }
  }
}

/** Users are kept under a one-way hash of platform and id, never the id itself. */
export function userKey(userId: string, platform: Platform): string {
  return createHash('sha256').update(`${platform}:${userId}`).digest('hex');
}

/** For when nothing is kept (tests, or a store that could not be opened). */
export const noRecords: ConversationRecords = {
  feedback() {},
  feedbackOnce() {
    return true;
  },
  possibleRisk() {},
  dangerConfirmed() {},
  question() {},
  getArea() {
    return undefined;
  },
  setArea() {},
};
