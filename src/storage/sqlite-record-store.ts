import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FeedbackVerdict } from '../conversation/card-action.js';
import type { Platform } from '../conversation/platform.js';
import type { AnswerKind, WorkArea } from '../engine/index.js';
import {
  type LeadPerson,
  type LeadRequestRecord,
  type LeadRequestRow,
  leadRequestFromRow,
  leadRequestTables,
  maxUnansweredLength,
  type NewLeadRequest,
  type OnceFeedback,
  type RecordStore,
  type StoreReport,
  unclosedRequestCutoff,
} from './record-store.js';

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
  leadRequestTables,
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
 * bot processes on one machine can share it). Created and migrated when opened. The work is
 * synchronous and quick; the methods return promises only to share the RecordStore interface
 * with PostgreSQL, and a failure comes back as a rejected promise, never a throw.
 */
export class SqliteRecordStore implements RecordStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string, options: SqliteOptions = {}) {
    if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last counts, which
      // is worth not waiting for the disk on every answer.
      this.db.pragma('synchronous = NORMAL');
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
        `INSERT INTO question_counts (day, platform, kind, topic_id, count) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (day, platform, kind, topic_id) DO UPDATE SET count = count + excluded.count`,
      ),
      unanswered: this.db.prepare('INSERT INTO unanswered (day, platform, kind, redacted_text, expires_day) VALUES (?, ?, ?, ?, ?)'),
      getArea: this.db.prepare('SELECT area FROM area_preferences WHERE user_key = ?'),
      setArea: this.db.prepare(
        `INSERT INTO area_preferences (user_key, area, updated_day) VALUES (?, ?, ?)
         ON CONFLICT (user_key) DO UPDATE SET area = excluded.area, updated_day = excluded.updated_day`,
      ),
      prune: this.db.prepare('DELETE FROM unanswered WHERE expires_day < ?'),
      pruneLeadRequests: this.db.prepare("DELETE FROM lead_requests WHERE state = 'closed' AND expires_day < ?"),
      pruneUnclosedLeadRequests: this.db.prepare("DELETE FROM lead_requests WHERE state <> 'closed' AND asked_at < ?"),
      createLeadRequest: this.db.prepare(
        `INSERT INTO lead_requests (id, platform, workspace, asker_id, asker_address, topic_id, urgency, state, asked_at, due_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      ),
      getLeadRequest: this.db.prepare('SELECT * FROM lead_requests WHERE id = ?'),
      activeLeadRequest: this.db.prepare(
        "SELECT * FROM lead_requests WHERE platform = ? AND asker_id = ? AND topic_id = ? AND state <> 'closed' ORDER BY asked_at DESC LIMIT 1",
      ),
      setLeadRequestPost: this.db.prepare('UPDATE lead_requests SET post = ? WHERE id = ?'),
      deleteLeadRequest: this.db.prepare('DELETE FROM lead_requests WHERE id = ?'),
      takeLeadRequest: this.db.prepare(
        "UPDATE lead_requests SET state = 'taken', taken_at = ?, taken_by = ?, taken_by_name = ? WHERE id = ? AND state = 'open'",
      ),
      closeLeadRequest: this.db.prepare(
        "UPDATE lead_requests SET state = 'closed', closed_at = ?, closed_by = ?, closed_by_name = ?, expires_day = ? WHERE id = ? AND state = 'taken'",
      ),
      claimOverdue: this.db.prepare(
        "UPDATE lead_requests SET reposted_at = ? WHERE state = 'open' AND reposted_at IS NULL AND due_at <= ? RETURNING *",
      ),
      getChannelReference: this.db.prepare('SELECT reference FROM channel_references WHERE name = ?'),
      setChannelReference: this.db.prepare(
        `INSERT INTO channel_references (name, reference, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at`,
      ),
    };
  }

  async recordFeedback(topicId: string, verdict: FeedbackVerdict, platform: Platform, day: string): Promise<void> {
    this.statements.feedback.run(day, platform, topicId, verdict);
  }

  async recordFeedbackOnce(feedback: OnceFeedback, platform: Platform, day: string): Promise<boolean> {
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

  async recordPossibleRisk(platform: Platform, day: string): Promise<void> {
    this.statements.possibleRisk.run(day, platform);
  }

  async recordDangerConfirmed(answerRef: string, platform: Platform, day: string): Promise<void> {
    this.statements.dangerConfirmed.run(answerRef, day, platform);
  }

  async recordQuestion(kind: AnswerKind, topicId: string | null, platform: Platform, day: string, count = 1): Promise<void> {
    this.statements.question.run(day, platform, kind, topicId ?? '', count);
  }

  async recordUnanswered(redactedText: string, kind: AnswerKind, platform: Platform, day: string, expiresDay: string): Promise<void> {
    this.statements.unanswered.run(day, platform, kind, redactedText.slice(0, maxUnansweredLength), expiresDay);
  }

  async getArea(userKey: string): Promise<WorkArea | undefined> {
    const row = this.statements.getArea.get(userKey) as { area: WorkArea } | undefined;
    return row?.area;
  }

  async setArea(userKey: string, area: WorkArea, day: string): Promise<void> {
    this.statements.setArea.run(userKey, area, day);
  }

  async pruneExpired(today: string): Promise<number> {
    return (
      this.statements.prune.run(today).changes +
      this.statements.pruneLeadRequests.run(today).changes +
      this.statements.pruneUnclosedLeadRequests.run(unclosedRequestCutoff(today)).changes
    );
  }

  async createLeadRequest(request: NewLeadRequest): Promise<void> {
    this.statements.createLeadRequest.run(
      request.id,
      request.platform,
      request.workspace,
      request.askerId,
      request.askerAddress,
      request.topicId ?? '',
      request.urgency,
      request.askedAt,
      request.dueAt,
    );
  }

  async getLeadRequest(id: string): Promise<LeadRequestRecord | undefined> {
    const row = this.statements.getLeadRequest.get(id) as LeadRequestRow | undefined;
    return row ? leadRequestFromRow(row) : undefined;
  }

  async activeLeadRequest(platform: Platform, askerId: string, topicId: string | null): Promise<LeadRequestRecord | undefined> {
    const row = this.statements.activeLeadRequest.get(platform, askerId, topicId ?? '') as LeadRequestRow | undefined;
    return row ? leadRequestFromRow(row) : undefined;
  }

  async setLeadRequestPost(id: string, post: string): Promise<void> {
    this.statements.setLeadRequestPost.run(post, id);
  }

  async deleteLeadRequest(id: string): Promise<void> {
    this.statements.deleteLeadRequest.run(id);
  }

  async takeLeadRequest(id: string, lead: LeadPerson, at: string): Promise<boolean> {
    return this.statements.takeLeadRequest.run(at, lead.id, lead.name, id).changes === 1;
  }

  async closeLeadRequest(id: string, lead: LeadPerson, at: string, expiresDay: string): Promise<boolean> {
    return this.statements.closeLeadRequest.run(at, lead.id, lead.name, expiresDay, id).changes === 1;
  }

  async claimOverdueLeadRequests(now: string): Promise<LeadRequestRecord[]> {
    return (this.statements.claimOverdue.all(now, now) as LeadRequestRow[]).map(leadRequestFromRow);
  }

  async getChannelReference(name: string): Promise<string | undefined> {
    return (this.statements.getChannelReference.get(name) as { reference: string } | undefined)?.reference;
  }

  async setChannelReference(name: string, reference: string, at: string): Promise<void> {
    this.statements.setChannelReference.run(name, reference, at);
  }

  async report(): Promise<StoreReport> {
    return {
      questionsByKind: this.db
        .prepare('SELECT kind, SUM(count) AS count FROM question_counts GROUP BY kind ORDER BY count DESC, kind')
        .all() as StoreReport['questionsByKind'],
      questionsByTopic: this.db
        .prepare(
          "SELECT topic_id AS topicId, SUM(count) AS count FROM question_counts WHERE topic_id <> '' GROUP BY topic_id ORDER BY count DESC, topic_id",
        )
        .all() as StoreReport['questionsByTopic'],
      feedbackByTopic: this.db
        .prepare(
          `SELECT topic_id AS topicId,
                  SUM(verdict = 'helpful') AS helpful,
                  SUM(verdict = 'not-helpful') AS notHelpful
           FROM feedback GROUP BY topic_id ORDER BY topic_id`,
        )
        .all() as StoreReport['feedbackByTopic'],
      unanswered: this.db
        .prepare(
          'SELECT redacted_text AS text, COUNT(*) AS count, MAX(day) AS lastDay FROM unanswered GROUP BY redacted_text ORDER BY count DESC, lastDay DESC, text LIMIT 50',
        )
        .all() as StoreReport['unanswered'],
      leadRequests: (
        this.db
          .prepare(
            `SELECT topic_id AS topicId, urgency, state, platform, asked_at AS askedAt, taken_at AS takenAt, reposted_at AS repostedAt
             FROM lead_requests ORDER BY asked_at, id`,
          )
          .all() as StoreReport['leadRequests']
      ).map((row) => ({ ...row, topicId: row.topicId || null })),
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

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
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
