import pg from 'pg';
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

/**
 * Each step brings an older database up to the next version; the table safeguarding_schema_version
 * says where it is. The tables match the SQLite store's, so both answer the same contract.
 */
const migrations: string[] = [
  `CREATE TABLE feedback (
     id BIGSERIAL PRIMARY KEY,
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
     id BIGSERIAL PRIMARY KEY,
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

/** Any fixed number: instances starting together take this lock so only one of them migrates. */
const migrationLockId = 7_150_212;

export interface PostgresOptions {
  /** Connections this instance may hold (several instances share the server's limit). */
  poolSize?: number;
  /** How long to wait for a connection or a query before giving up (ms). */
  timeoutMs?: number;
  /** Create and migrate the tables when opened (the bot does; the report only reads). */
  migrate?: boolean;
  /** Errors on idle connections (a server restart, a network cut); the pool replaces the connection. */
  onIdleError?: (error: Error) => void;
}

/**
 * The record store in PostgreSQL, for several bot instances behind a load balancer: they all see
 * each other's area choices, feedback and counts. Open it with PostgresRecordStore.open(), which
 * connects, and creates and migrates the tables.
 */
export class PostgresRecordStore implements RecordStore {
  readonly kind = 'postgres';
  private closed = false;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(connectionString: string, options: PostgresOptions = {}): Promise<PostgresRecordStore> {
    const timeoutMs = options.timeoutMs ?? 3000;
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 5,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: 'safeguarding-assistant',
    });
    pool.on('error', (error) => options.onIdleError?.(error));
    const store = new PostgresRecordStore(pool);
    try {
      if (options.migrate ?? true) await store.migrate();
      else await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return store;
  }

  async recordFeedback(topicId: string, verdict: FeedbackVerdict, platform: Platform, day: string): Promise<void> {
    await this.pool.query('INSERT INTO feedback (day, platform, topic_id, verdict) VALUES ($1, $2, $3, $4)', [
      day,
      platform,
      topicId,
      verdict,
    ]);
  }

  async recordFeedbackOnce(feedback: OnceFeedback, platform: Platform, day: string): Promise<boolean> {
    // xmax = 0 only on a row this statement inserted: an update (a second press) leaves it non-zero.
    const result = await this.pool.query(
      `INSERT INTO feedback (day, platform, topic_id, verdict, user_key, answer_ref, risk) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (user_key, answer_ref) WHERE user_key IS NOT NULL AND answer_ref IS NOT NULL
       DO UPDATE SET verdict = excluded.verdict
       RETURNING (xmax = 0) AS inserted`,
      [day, platform, feedback.topicId, feedback.verdict, feedback.userKey, feedback.answerRef, feedback.risk],
    );
    return (result.rows[0] as { inserted: boolean } | undefined)?.inserted === true;
  }

  async recordPossibleRisk(platform: Platform, day: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO possible_risk_counts (day, platform, count) VALUES ($1, $2, 1)
       ON CONFLICT (day, platform) DO UPDATE SET count = possible_risk_counts.count + 1`,
      [day, platform],
    );
  }

  async recordDangerConfirmed(answerRef: string, platform: Platform, day: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO danger_confirmations (answer_ref, day, platform) VALUES ($1, $2, $3) ON CONFLICT (answer_ref) DO NOTHING',
      [answerRef, day, platform],
    );
  }

  async recordQuestion(kind: AnswerKind, topicId: string | null, platform: Platform, day: string, count = 1): Promise<void> {
    await this.pool.query(
      `INSERT INTO question_counts (day, platform, kind, topic_id, count) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (day, platform, kind, topic_id) DO UPDATE SET count = question_counts.count + excluded.count`,
      [day, platform, kind, topicId ?? '', count],
    );
  }

  async recordUnanswered(redactedText: string, kind: AnswerKind, platform: Platform, day: string, expiresDay: string): Promise<void> {
    await this.pool.query('INSERT INTO unanswered (day, platform, kind, redacted_text, expires_day) VALUES ($1, $2, $3, $4, $5)', [
      day,
      platform,
      kind,
      redactedText.slice(0, maxUnansweredLength),
      expiresDay,
    ]);
  }

  async getArea(userKey: string): Promise<WorkArea | undefined> {
    const result = await this.pool.query<{ area: WorkArea }>('SELECT area FROM area_preferences WHERE user_key = $1', [userKey]);
    return result.rows[0]?.area;
  }

  async setArea(userKey: string, area: WorkArea, day: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO area_preferences (user_key, area, updated_day) VALUES ($1, $2, $3)
       ON CONFLICT (user_key) DO UPDATE SET area = excluded.area, updated_day = excluded.updated_day`,
      [userKey, area, day],
    );
  }

  async pruneExpired(today: string): Promise<number> {
    const unanswered = await this.pool.query('DELETE FROM unanswered WHERE expires_day < $1', [today]);
    const requests = await this.pool.query("DELETE FROM lead_requests WHERE state = 'closed' AND expires_day < $1", [today]);
    const unclosed = await this.pool.query("DELETE FROM lead_requests WHERE state <> 'closed' AND asked_at < $1", [
      unclosedRequestCutoff(today),
    ]);
    return (unanswered.rowCount ?? 0) + (requests.rowCount ?? 0) + (unclosed.rowCount ?? 0);
  }

  async createLeadRequest(request: NewLeadRequest): Promise<void> {
    await this.pool.query(
      `INSERT INTO lead_requests (id, platform, workspace, asker_id, asker_address, topic_id, urgency, state, asked_at, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9)`,
      [
        request.id,
        request.platform,
        request.workspace,
        request.askerId,
        request.askerAddress,
        request.topicId ?? '',
        request.urgency,
        request.askedAt,
        request.dueAt,
      ],
    );
  }

  async getLeadRequest(id: string): Promise<LeadRequestRecord | undefined> {
    const result = await this.pool.query<LeadRequestRow>('SELECT * FROM lead_requests WHERE id = $1', [id]);
    return result.rows[0] ? leadRequestFromRow(result.rows[0]) : undefined;
  }

  async activeLeadRequest(platform: Platform, askerId: string, topicId: string | null): Promise<LeadRequestRecord | undefined> {
    const result = await this.pool.query<LeadRequestRow>(
      `SELECT * FROM lead_requests WHERE platform = $1 AND asker_id = $2 AND topic_id = $3 AND state <> 'closed'
       ORDER BY asked_at COLLATE "C" DESC LIMIT 1`,
      [platform, askerId, topicId ?? ''],
    );
    return result.rows[0] ? leadRequestFromRow(result.rows[0]) : undefined;
  }

  async setLeadRequestPost(id: string, post: string): Promise<void> {
    await this.pool.query('UPDATE lead_requests SET post = $1 WHERE id = $2', [post, id]);
  }

  async deleteLeadRequest(id: string): Promise<void> {
    await this.pool.query('DELETE FROM lead_requests WHERE id = $1', [id]);
  }

  async takeLeadRequest(id: string, lead: LeadPerson, at: string): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE lead_requests SET state = 'taken', taken_at = $1, taken_by = $2, taken_by_name = $3 WHERE id = $4 AND state = 'open'",
      [at, lead.id, lead.name, id],
    );
    return result.rowCount === 1;
  }

  async closeLeadRequest(id: string, lead: LeadPerson, at: string, expiresDay: string): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE lead_requests SET state = 'closed', closed_at = $1, closed_by = $2, closed_by_name = $3, expires_day = $4
       WHERE id = $5 AND state = 'taken'`,
      [at, lead.id, lead.name, expiresDay, id],
    );
    return result.rowCount === 1;
  }

  async claimOverdueLeadRequests(now: string): Promise<LeadRequestRecord[]> {
    // Times are ISO 8601 text, compared byte by byte (COLLATE "C") as SQLite compares them.
    // One statement: under READ COMMITTED a second instance's UPDATE waits for this one, then finds reposted_at set.
    const result = await this.pool.query<LeadRequestRow>(
      `UPDATE lead_requests SET reposted_at = $1 WHERE state = 'open' AND reposted_at IS NULL AND due_at <= $1 COLLATE "C" RETURNING *`,
      [now],
    );
    return result.rows.map(leadRequestFromRow);
  }

  async getChannelReference(name: string): Promise<string | undefined> {
    const result = await this.pool.query<{ reference: string }>('SELECT reference FROM channel_references WHERE name = $1', [name]);
    return result.rows[0]?.reference;
  }

  async setChannelReference(name: string, reference: string, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO channel_references (name, reference, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at`,
      [name, reference, at],
    );
  }

  async report(): Promise<StoreReport> {
    // Sums come back as bigint (text in node-postgres) unless cast; COLLATE "C" orders ties as SQLite does.
    const [byKind, byTopic, feedback, unanswered, leadRequests, possibleReplies, confirmed, emergencyNotHelpful] = await Promise.all([
      this.pool.query('SELECT kind, SUM(count)::int AS count FROM question_counts GROUP BY kind ORDER BY count DESC, kind COLLATE "C"'),
      this.pool.query(
        `SELECT topic_id AS "topicId", SUM(count)::int AS count FROM question_counts WHERE topic_id <> ''
         GROUP BY topic_id ORDER BY count DESC, topic_id COLLATE "C"`,
      ),
      this.pool.query(
        `SELECT topic_id AS "topicId",
                COUNT(*) FILTER (WHERE verdict = 'helpful')::int AS helpful,
                COUNT(*) FILTER (WHERE verdict = 'not-helpful')::int AS "notHelpful"
         FROM feedback GROUP BY topic_id ORDER BY topic_id COLLATE "C"`,
      ),
      this.pool.query(
        `SELECT redacted_text AS text, COUNT(*)::int AS count, MAX(day) AS "lastDay" FROM unanswered
         GROUP BY redacted_text ORDER BY count DESC, "lastDay" DESC, redacted_text COLLATE "C" LIMIT 50`,
      ),
      this.pool.query(
        `SELECT NULLIF(topic_id, '') AS "topicId", urgency, state, platform, asked_at AS "askedAt", taken_at AS "takenAt",
                reposted_at AS "repostedAt"
         FROM lead_requests ORDER BY asked_at COLLATE "C", id COLLATE "C"`,
      ),
      this.pool.query('SELECT COALESCE(SUM(count), 0)::int AS n FROM possible_risk_counts'),
      this.pool.query('SELECT COUNT(*)::int AS n FROM danger_confirmations'),
      this.pool.query(
        `SELECT topic_id AS "topicId", COUNT(*)::int AS count FROM feedback WHERE risk = 'emergency' AND verdict = 'not-helpful'
         GROUP BY topic_id ORDER BY count DESC, topic_id COLLATE "C"`,
      ),
    ]);
    return {
      questionsByKind: byKind.rows,
      questionsByTopic: byTopic.rows,
      feedbackByTopic: feedback.rows,
      unanswered: unanswered.rows,
      leadRequests: leadRequests.rows,
      possibleRisk: { replies: (possibleReplies.rows[0] as { n: number }).n, confirmed: (confirmed.rows[0] as { n: number }).n },
      emergencyNotHelpful: emergencyNotHelpful.rows,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Held until COMMIT: a second instance starting at the same moment waits, then finds the work done.
      await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockId]);
      await client.query('CREATE TABLE IF NOT EXISTS safeguarding_schema_version (version INTEGER NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM safeguarding_schema_version');
      const current = rows[0]?.version ?? 0;
      if (rows.length === 0) await client.query('INSERT INTO safeguarding_schema_version (version) VALUES (0)');
      for (let version = current; version < migrations.length; version++) await client.query(migrations[version]!);
      if (current < migrations.length) await client.query('UPDATE safeguarding_schema_version SET version = $1', [migrations.length]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
