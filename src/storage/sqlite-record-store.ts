import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FeedbackVerdict } from '../conversation/card-action.js';
import type { Platform } from '../conversation/platform.js';
import type { AnswerKind, WorkArea } from '../engine/index.js';
import type { OnceFeedback, RecordStore, StoreReport } from './record-store.js';

/** Each step brings an older database up to the next version; PRAGMA user_version says where it is. */
const migrations: string[] = [
  `CREATE TABLE feedback (
     id INTEGER PRIMARY KEY,
     day TEXT NOT NULL,
     platform TEXT NOT NULL,
     topic_id TEXT NOT NULL,
     verdict TEXT NOT NULL CHECK (verdict IN ('helpful', 'not-helpful'))
   );
   CREATE INDEX feedback_topic ON feedback (topic_id);
   CREATE TABLE question_counts (
     day TEXT NOT NULL,
     platform TEXT NOT NULL,
     kind TEXT NOT NULL,
     topic_id TEXT NOT NULL DEFAULT '',
     count INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (day, platform, kind, topic_id)
   );
   CREATE TABLE area_preferences (
     user_key TEXT PRIMARY KEY,
     area TEXT NOT NULL CHECK (area IN ('derby-city', 'derbyshire')),
     updated_day TEXT NOT NULL
   );
   CREATE TABLE unanswered (
     id INTEGER PRIMARY KEY,
     day TEXT NOT NULL,
     platform TEXT NOT NULL,
     kind TEXT NOT NULL,
     redacted_text TEXT NOT NULL,
     expires_day TEXT NOT NULL
   );
   CREATE INDEX unanswered_expiry ON unanswered (expires_day);`,
  // Feedback counted once per person per answer, and the band of the reply it was on.
  `ALTER TABLE feedback ADD COLUMN user_key TEXT;
   ALTER TABLE feedback ADD COLUMN answer_ref TEXT;
   ALTER TABLE feedback ADD COLUMN risk TEXT NOT NULL DEFAULT 'none' CHECK (risk IN ('emergency', 'possible', 'none'));
   CREATE UNIQUE INDEX feedback_once ON feedback (user_key, answer_ref) WHERE user_key IS NOT NULL AND answer_ref IS NOT NULL;`,
  // Replies that asked "Is a child in danger right now?", and those whose "Yes, now" was pressed (once per reply).
  `CREATE TABLE possible_risk_counts (
     day TEXT NOT NULL,
     platform TEXT NOT NULL,
     count INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (day, platform)
   );
   CREATE TABLE danger_confirmations (
     answer_ref TEXT PRIMARY KEY,
     day TEXT NOT NULL,
     platform TEXT NOT NULL
   );`,
];

export interface SqliteOptions {
  /** How long a write waits for another connection's lock before failing (ms). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/**
 * The record store in one SQLite file (WAL mode, so readers never block the writer and several
 * bot processes can share it). Created and migrated when opened.
 */
export class SqliteRecordStore implements RecordStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string, options: SqliteOptions = {}) {
    if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.migrate();
    }
    this.statements = {
      feedback: this.db.prepare('INSERT INTO feedback (day, platform, topic_id, verdict) VALUES (?, ?, ?, ?)'),
      feedbackOnce: this.db.prepare(
        `INSERT INTO feedback (day, platform, topic_id, verdict, user_key, answer_ref, risk) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_key, answer_ref) WHERE user_key IS NOT NULL AND answer_ref IS NOT NULL
         DO UPDATE SET verdict = excluded.verdict`,
      ),
      feedbackGiven: this.db.prepare('SELECT 1 FROM feedback WHERE user_key = ? AND answer_ref = ?'),
      possibleRisk: this.db.prepare(
        `INSERT INTO possible_risk_counts (day, platform, count) VALUES (?, ?, 1)
         ON CONFLICT (day, platform) DO UPDATE SET count = count + 1`,
      ),
      dangerConfirmed: this.db.prepare('INSERT OR IGNORE INTO danger_confirmations (answer_ref, day, platform) VALUES (?, ?, ?)'),
      question: this.db.prepare(
        `INSERT INTO question_counts (day, platform, kind, topic_id, count) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (day, platform, kind, topic_id) DO UPDATE SET count = count + 1`,
      ),
      unanswered: this.db.prepare('INSERT INTO unanswered (day, platform, kind, redacted_text, expires_day) VALUES (?, ?, ?, ?, ?)'),
      getArea: this.db.prepare('SELECT area FROM area_preferences WHERE user_key = ?'),
      setArea: this.db.prepare(
        `INSERT INTO area_preferences (user_key, area, updated_day) VALUES (?, ?, ?)
         ON CONFLICT (user_key) DO UPDATE SET area = excluded.area, updated_day = excluded.updated_day`,
      ),
      prune: this.db.prepare('DELETE FROM unanswered WHERE expires_day < ?'),
    };
  }

  recordFeedback(topicId: string, verdict: FeedbackVerdict, platform: Platform, day: string): void {
    this.statements.feedback.run(day, platform, topicId, verdict);
  }

  recordFeedbackOnce(feedback: OnceFeedback, platform: Platform, day: string): boolean {
    return this.db
      .transaction(() => {
        const before = this.statements.feedbackGiven.get(feedback.userKey, feedback.answerRef);
        this.statements.feedbackOnce.run(
          day,
          platform,
          feedback.topicId,
          feedback.verdict,
          feedback.userKey,
          feedback.answerRef,
          feedback.risk,
        );
        return before === undefined;
      })
      .immediate();
  }

  recordPossibleRisk(platform: Platform, day: string): void {
    this.statements.possibleRisk.run(day, platform);
  }

  recordDangerConfirmed(answerRef: string, platform: Platform, day: string): void {
    this.statements.dangerConfirmed.run(answerRef, day, platform);
  }

  recordQuestion(kind: AnswerKind, topicId: string | null, platform: Platform, day: string): void {
    this.statements.question.run(day, platform, kind, topicId ?? '');
  }

  recordUnanswered(redactedText: string, kind: AnswerKind, platform: Platform, day: string, expiresDay: string): void {
    this.statements.unanswered.run(day, platform, kind, redactedText.slice(0, 500), expiresDay);
  }

  getArea(userKey: string): WorkArea | undefined {
    const row = this.statements.getArea.get(userKey) as { area: WorkArea } | undefined;
    return row?.area;
  }

  setArea(userKey: string, area: WorkArea, day: string): void {
    this.statements.setArea.run(userKey, area, day);
  }

  pruneExpired(today: string): number {
    return this.statements.prune.run(today).changes;
  }

  report(): StoreReport {
    return {
      questionsByKind: this.db
        .prepare('SELECT kind, SUM(count) AS count FROM question_counts GROUP BY kind ORDER BY count DESC')
        .all() as StoreReport['questionsByKind'],
      questionsByTopic: this.db
        .prepare(
          "SELECT topic_id AS topicId, SUM(count) AS count FROM question_counts WHERE topic_id <> '' GROUP BY topic_id ORDER BY count DESC",
        )
        .all() as StoreReport['questionsByTopic'],
      feedbackByTopic: this.db
        .prepare(
          `SELECT topic_id AS topicId,
                  SUM(verdict = 'helpful') AS helpful,
                  SUM(verdict = 'not-helpful') AS notHelpful
           FROM feedback GROUP BY topic_id`,
        )
        .all() as StoreReport['feedbackByTopic'],
      unanswered: this.db
        .prepare(
          'SELECT redacted_text AS text, COUNT(*) AS count, MAX(day) AS lastDay FROM unanswered GROUP BY redacted_text ORDER BY count DESC, lastDay DESC LIMIT 50',
        )
        .all() as StoreReport['unanswered'],
      possibleRisk: {
        replies: (this.db.prepare('SELECT COALESCE(SUM(count), 0) AS n FROM possible_risk_counts').get() as { n: number }).n,
        confirmed: (this.db.prepare('SELECT COUNT(*) AS n FROM danger_confirmations').get() as { n: number }).n,
      },
      emergencyNotHelpful: this.db
        .prepare(
          `SELECT topic_id AS topicId, COUNT(*) AS count FROM feedback WHERE risk = 'emergency' AND verdict = 'not-helpful'
           GROUP BY topic_id ORDER BY count DESC, topic_id`,
        )
        .all() as StoreReport['emergencyNotHelpful'],
    };
  }

  close(): void {
    this.db.close();
  }

  private migrate(): void {
    // IMMEDIATE takes the write lock first, so two processes starting together migrate once.
    this.db
      .transaction(() => {
        const current = this.db.pragma('user_version', { simple: true }) as number;
        for (let version = current; version < migrations.length; version++) this.db.exec(migrations[version]!);
        if (current < migrations.length) this.db.pragma(`user_version = ${migrations.length}`);
      })
      .immediate();
  }
}
