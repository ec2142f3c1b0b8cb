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

/**
 * What the conversation keeps, and never lets a storage failure cost the user a reply: every
 * method resolves, whatever the store does (a failed read is no area, a failed write is logged).
 */
export interface ConversationRecords {
  feedback(topicId: string, verdict: FeedbackVerdict, platform: Platform): Promise<void>;
  /** One person's feedback on one answer, counted once however often they press; true the first time. */
  feedbackOnce(
    userId: string,
    answerRef: string,
    topicId: string,
    verdict: FeedbackVerdict,
    risk: RiskBand,
    platform: Platform,
  ): Promise<boolean>;
  /** A reply that first asked "Is a child in danger right now?". */
  possibleRisk(platform: Platform): Promise<void>;
  /** "Yes, now" pressed on such a reply (counted once per reply). */
  dangerConfirmed(answerRef: string, platform: Platform): Promise<void>;
  /** Counts the question by kind and topic; keeps its redacted text only when it was not answered confidently and recording is on. */
  question(answer: Answer, platform: Platform, redactedQuestion: () => string): Promise<void>;
  getArea(userId: string, platform: Platform): Promise<WorkArea | undefined>;
  setArea(userId: string, platform: Platform, area: WorkArea): Promise<void>;
  /** Writes the question counts not yet written (before the store closes). */
  flush?(): Promise<void>;
}

export interface RecordsOptions {
  recordUnanswered: boolean;
  /** How long question counts gather in memory before one write adds them up (0: written at once). */
  questionCountDelayMs?: number;
  /**
   * Keep each person's area in memory once read or chosen (default true). Right for a store only this
   * process writes (SQLite); off for PostgreSQL, where another instance may record a new choice.
   */
  cacheAreas?: boolean;
}

/** How many people's areas are kept in memory (a few bytes each); the oldest go first beyond it. */
const areasKept = 10_000;

/**
 * Question counts are gathered for this long, then written as one addition per kind and topic: a
 * write per answer was the costliest part of a reply after the card. A crash loses at most this
 * much of the counts; a stop writes them first.
 */
export const defaultQuestionCountDelayMs = 200;

export class StoredConversationRecords implements ConversationRecords {
  /** Counts not yet written, by day, platform, kind and topic (tab-separated). */
  private readonly pendingCounts = new Map<string, number>();
  private countTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Areas already read or chosen, by user key (null: none chosen), when options.cacheAreas allows. */
  private readonly areas = new Map<string, WorkArea | null>();

  constructor(
    private readonly store: RecordStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: RecordsOptions,
  ) {}

  async feedback(topicId: string, verdict: FeedbackVerdict, platform: Platform): Promise<void> {
    await this.safely('feedback', () => this.store.recordFeedback(topicId, verdict, platform, this.today()));
  }

  async feedbackOnce(
    userId: string,
    answerRef: string,
    topicId: string,
    verdict: FeedbackVerdict,
    risk: RiskBand,
    platform: Platform,
  ): Promise<boolean> {
    // When the store fails, thank the person as for a first press: the answer matters more than the count.
    let first = true;
    await this.safely('feedback', async () => {
      first = await this.store.recordFeedbackOnce(
        { userKey: userKey(userId, platform), answerRef, topicId, verdict, risk },
        platform,
        this.today(),
      );
    });
    return first;
  }

  async possibleRisk(platform: Platform): Promise<void> {
    await this.safely('possible-risk', () => this.store.recordPossibleRisk(platform, this.today()));
  }

  async dangerConfirmed(answerRef: string, platform: Platform): Promise<void> {
    await this.safely('danger-confirmed', () => this.store.recordDangerConfirmed(answerRef, platform, this.today()));
  }

  async question(answer: Answer, platform: Platform, redactedQuestion: () => string): Promise<void> {
    this.countQuestion(answer, platform);
    await this.safely('question', async () => {
      const today = this.today();
      if (this.options.recordUnanswered && (answer.kind === 'fallback' || answer.kind === 'clarify')) {
        const redacted = redactedQuestion().trim();
        if (redacted) await this.store.recordUnanswered(redacted, answer.kind, platform, today, addDays(today, unansweredRetentionDays));
      }
    });
  }

  async getArea(userId: string, platform: Platform): Promise<WorkArea | undefined> {
    const key = userKey(userId, platform);
    const known = this.areas.get(key);
    if (known !== undefined) return known ?? undefined;
    let area: WorkArea | undefined;
    await this.safely('get-area', async () => {
      area = await this.store.getArea(key);
      this.rememberArea(key, area ?? null);
    });
    return area;
  }

  async setArea(userId: string, platform: Platform, area: WorkArea): Promise<void> {
    const key = userKey(userId, platform);
    // Forgotten first: if the write fails, the next message reads the store again rather than trusting memory.
    this.areas.delete(key);
    await this.safely('set-area', async () => {
      await this.store.setArea(key, area, this.today());
      this.rememberArea(key, area);
    });
  }

  async flush(): Promise<void> {
    if (this.countTimer) clearTimeout(this.countTimer);
    this.countTimer = undefined;
    const counts = [...this.pendingCounts];
    this.pendingCounts.clear();
    // One flush after another, so a stop waits for a write already under way.
    this.writing = this.writing.then(async () => {
      for (const [key, count] of counts) {
        const [day, platform, kind, topicId] = key.split('\t') as [string, Platform, Answer['kind'], string];
        await this.safely('question', () => this.store.recordQuestion(kind, topicId || null, platform, day, count));
      }
    });
    await this.writing;
  }

  private countQuestion(answer: Answer, platform: Platform): void {
    const key = `${this.today()}\t${platform}\t${answer.kind}\t${answer.topicId ?? ''}`;
    this.pendingCounts.set(key, (this.pendingCounts.get(key) ?? 0) + 1);
    const delay = this.options.questionCountDelayMs ?? defaultQuestionCountDelayMs;
    if (delay <= 0) {
      void this.flush();
      return;
    }
    if (this.countTimer) return;
    this.countTimer = setTimeout(() => void this.flush(), delay);
    // A pending count never keeps the process alive; a stop flushes it.
    this.countTimer.unref();
  }

  private rememberArea(key: string, area: WorkArea | null): void {
    if (this.options.cacheAreas === false) return;
    if (this.areas.size >= areasKept) this.areas.delete(this.areas.keys().next().value!);
    this.areas.set(key, area);
  }

  private today(): string {
    return ukDay(this.clock());
  }

  private async safely(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      // A locked or full disk, or a database out of reach, is logged; the user still gets their answer.
      this.logger.error({ event: 'record-failed', record: what, err: errorSummary(error) }, 'could not use the record store');
    }
  }
}

/** Users are kept under a one-way hash of platform and id, never the id itself. */
export function userKey(userId: string, platform: Platform): string {
  return createHash('sha256').update(`${platform}:${userId}`).digest('hex');
}

/** For when nothing is kept (tests, or a store that could not be opened). */
export const noRecords: ConversationRecords = {
  async feedback() {},
  async feedbackOnce() {
    return true;
  },
  async possibleRisk() {},
  async dangerConfirmed() {},
  async question() {},
  async getArea() {
    return undefined;
  },
  async setArea() {},
  async flush() {},
};
