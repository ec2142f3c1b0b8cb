import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { StoredConversationRecords, userKey } from '../../src/conversation/conversation-records.js';
import { createLogger } from '../../src/logger.js';
import { SqliteRecordStore } from '../../src/storage/sqlite-record-store.js';
import { captureLogs } from '../support/capture-logs.js';
import { realEngine } from '../support/engine.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('record store (SQLite)', () => {
  let directory: string;
  let file: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'records-'));
    file = join(directory, 'safeguarding-assistant.sqlite');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('creates and migrates the database on open, and opens it again unchanged', () => {
    new SqliteRecordStore(file).close();
    const store = new SqliteRecordStore(file);
    store.recordFeedback('sextortion', 'helpful', 'teams', '2026-11-24');
    assert.deepEqual(store.report().feedbackByTopic, [{ topicId: 'sextortion', helpful: 1, notHelpful: 0 }]);
    store.close();
  });

  it('counts feedback once per person per answer; a second press on the same answer changes the verdict, not the count', () => {
    const store = new SqliteRecordStore(file);
    const feedback = {
      userKey: 'user-a',
      answerRef: 'ref00001',
      topicId: 'sextortion',
      verdict: 'helpful' as const,
      risk: 'none' as const,
    };
    assert.equal(store.recordFeedbackOnce(feedback, 'teams', '2026-11-24'), true);
    assert.equal(store.recordFeedbackOnce(feedback, 'teams', '2026-11-24'), false);
    assert.equal(store.recordFeedbackOnce({ ...feedback, verdict: 'not-helpful' }, 'teams', '2026-11-24'), false);
    assert.equal(store.recordFeedbackOnce({ ...feedback, userKey: 'user-b' }, 'teams', '2026-11-24'), true);
    assert.equal(store.recordFeedbackOnce({ ...feedback, answerRef: 'ref00002' }, 'teams', '2026-11-24'), true);
    assert.deepEqual(store.report().feedbackByTopic, [{ topicId: 'sextortion', helpful: 2, notHelpful: 1 }]);
    store.close();
  });

  it('counts possible-band replies, "Yes, now" presses once per reply, and emergency cards marked not helpful', () => {
    const store = new SqliteRecordStore(file);
    for (let index = 0; index < 3; index++) store.recordPossibleRisk('teams', '2026-11-24');
    store.recordPossibleRisk('slack', '2026-11-25');
    store.recordDangerConfirmed('ref00001', 'teams', '2026-11-24');
    store.recordDangerConfirmed('ref00001', 'teams', '2026-11-24');
    store.recordDangerConfirmed('ref00002', 'slack', '2026-11-25');
    const notHelpful = {
      userKey: 'u1',
      answerRef: 'ref00003',
      topicId: 'grooming',
      verdict: 'not-helpful' as const,
      risk: 'emergency' as const,
    };
    store.recordFeedbackOnce(notHelpful, 'teams', '2026-11-24');
    store.recordFeedbackOnce({ ...notHelpful, userKey: 'u2' }, 'teams', '2026-11-24');
    store.recordFeedbackOnce({ ...notHelpful, userKey: 'u3', verdict: 'helpful' }, 'teams', '2026-11-24');
    store.recordFeedbackOnce({ ...notHelpful, userKey: 'u4', risk: 'none' }, 'teams', '2026-11-24');
    const report = store.report();
    assert.deepEqual(report.possibleRisk, { replies: 4, confirmed: 2 });
    assert.deepEqual(report.emergencyNotHelpful, [{ topicId: 'grooming', count: 2 }]);
    store.close();
  });

  it('keeps each person under a one-way hash when counting their feedback once', () => {
    const store = new SqliteRecordStore(file);
    const records = new StoredConversationRecords(store, () => new Date('2026-11-24T12:00:00Z'), createLogger('silent'), {
      recordUnanswered: false,
    });
    assert.equal(records.feedbackOnce('29:person', 'ref00001', 'sextortion', 'helpful', 'none', 'teams'), true);
    assert.equal(records.feedbackOnce('29:person', 'ref00001', 'sextortion', 'helpful', 'none', 'teams'), false);
    records.possibleRisk('teams');
    records.dangerConfirmed('ref00009', 'teams');
    assert.deepEqual(store.report().possibleRisk, { replies: 1, confirmed: 1 });
    store.close();
    const stored = new Database(file, { readonly: true });
    const keys = stored.prepare('SELECT user_key FROM feedback').all() as Array<{ user_key: string }>;
    stored.close();
    assert.deepEqual(keys, [{ user_key: userKey('29:person', 'teams') }]);
    assert.doesNotMatch(JSON.stringify(keys), /person/);
  });

  it('brings a database of the first version up to date without losing its feedback', () => {
    const old = new Database(file);
    old.exec(`CREATE TABLE feedback (id INTEGER PRIMARY KEY, day TEXT NOT NULL, platform TEXT NOT NULL, topic_id TEXT NOT NULL,
      verdict TEXT NOT NULL CHECK (verdict IN ('helpful', 'not-helpful')));
      CREATE INDEX feedback_topic ON feedback (topic_id);
      CREATE TABLE question_counts (day TEXT NOT NULL, platform TEXT NOT NULL, kind TEXT NOT NULL, topic_id TEXT NOT NULL DEFAULT '',
        count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, platform, kind, topic_id));
      CREATE TABLE area_preferences (user_key TEXT PRIMARY KEY, area TEXT NOT NULL CHECK (area IN ('derby-city', 'derbyshire')), updated_day TEXT NOT NULL);
      CREATE TABLE unanswered (id INTEGER PRIMARY KEY, day TEXT NOT NULL, platform TEXT NOT NULL, kind TEXT NOT NULL, redacted_text TEXT NOT NULL, expires_day TEXT NOT NULL);
      INSERT INTO feedback (day, platform, topic_id, verdict) VALUES ('2026-01-01', 'teams', 'grooming', 'not-helpful');
      PRAGMA user_version = 1;`);
    old.close();
    const store = new SqliteRecordStore(file);
    store.recordFeedbackOnce(
      { userKey: 'u', answerRef: 'ref00001', topicId: 'grooming', verdict: 'helpful', risk: 'none' },
      'teams',
      '2026-11-24',
    );
    assert.deepEqual(store.report().feedbackByTopic, [{ topicId: 'grooming', helpful: 1, notHelpful: 1 }]);
    store.close();
  });

  it('loses nothing when several connections write at once', async () => {
    const stores = [new SqliteRecordStore(file), new SqliteRecordStore(file), new SqliteRecordStore(file)];
    const writes = Array.from(
      { length: 300 },
      (_, index) =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            stores[index % 3]!.recordFeedback(
              index % 2 ? 'grooming' : 'county-lines',
              index % 5 ? 'helpful' : 'not-helpful',
              'slack',
              '2026-11-24',
            );
            stores[index % 3]!.recordQuestion('answer', 'grooming', 'slack', '2026-11-24');
            resolve();
          }),
        ),
    );
    await Promise.all(writes);
    const report = stores[0]!.report();
    for (const store of stores) store.close();
    const votes = report.feedbackByTopic.reduce((sum, row) => sum + row.helpful + row.notHelpful, 0);
    assert.equal(votes, 300);
    assert.equal(report.questionsByTopic.find((row) => row.topicId === 'grooming')?.count, 300);
  });

  it('logs a locked database and carries on, so the user still gets an answer', () => {
    const { logger, lines } = captureLogs();
    const store = new SqliteRecordStore(file, { busyTimeoutMs: 50 });
    const blocker = new Database(file);
    blocker.exec('BEGIN EXCLUSIVE');
    const records = new StoredConversationRecords(store, () => new Date('2026-11-24T12:00:00Z'), logger, { recordUnanswered: false });
    assert.doesNotThrow(() => records.feedback('sextortion', 'helpful', 'teams'));
    assert.doesNotThrow(() => records.setArea('user-1', 'teams', 'derby-city'));
    blocker.exec('ROLLBACK');
    blocker.close();
    store.close();
    assert.match(lines.join(''), /record-failed/);
  });

  it('keeps unanswered questions only when asked to, redacted, and forgets them after 90 days', () => {
    const engine = realEngine();
    const store = new SqliteRecordStore(file);
    const fallback = engine.answer('how do I book the minibus for Jessamyn on 12/03/2026');
    assert.equal(fallback.kind, 'fallback');
    const question = 'how do I book the minibus for a girl called Jessamyn, dob 12/03/2011, 07700 900123';
    const logger = createLogger('silent');
    new StoredConversationRecords(store, () => new Date('2026-01-01T12:00:00Z'), logger, { recordUnanswered: false }).question(
      fallback,
      'teams',
      () => engine.redact(question),
    );
    assert.deepEqual(store.report().unanswered, []);
    new StoredConversationRecords(store, () => new Date('2026-01-01T12:00:00Z'), logger, { recordUnanswered: true }).question(
      fallback,
      'teams',
      () => engine.redact(question),
    );
    const [kept] = store.report().unanswered;
    assert.ok(kept);
    assert.doesNotMatch(kept.text, /Jessamyn|12\/03\/2011|07700/);
    assert.match(kept.text, /minibus/);
    assert.equal(store.pruneExpired('2026-03-31'), 0);
    assert.equal(store.pruneExpired('2026-04-02'), 1);
    store.close();
  });

  it('stores area choices under a hash of the user id, not the id itself', () => {
    const store = new SqliteRecordStore(file);
    const records = new StoredConversationRecords(store, () => new Date(), createLogger('silent'), { recordUnanswered: false });
    records.setArea('29:user-abc', 'teams', 'derbyshire');
    assert.equal(records.getArea('29:user-abc', 'teams'), 'derbyshire');
    assert.equal(records.getArea('29:user-abc', 'slack'), undefined);
    store.close();
    const raw = new Database(file, { readonly: true });
    const keys = raw.prepare('SELECT user_key FROM area_preferences').all() as Array<{ user_key: string }>;
    raw.close();
    assert.deepEqual(keys, [{ user_key: userKey('29:user-abc', 'teams') }]);
    assert.doesNotMatch(keys[0]!.user_key, /user-abc/);
  });

  it('npm run report shows counts, least helpful topics, unanswered questions and topics never asked', () => {
    const store = new SqliteRecordStore(file);
    for (let index = 0; index < 3; index++) store.recordFeedback('sextortion', 'not-helpful', 'teams', '2026-11-24');
    store.recordFeedback('county-lines', 'helpful', 'slack', '2026-11-24');
    store.recordQuestion('answer', 'county-lines', 'slack', '2026-11-24');
    store.recordQuestion('fallback', null, 'teams', '2026-11-24');
    store.recordUnanswered('how do I book the minibus for [name]', 'fallback', 'teams', '2026-11-24', '2027-02-22');
    store.close();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/report.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: directory, RECORD_UNANSWERED: 'on' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /answer\s+1/);
    assert.match(result.stdout, /fallback\s+1/);
    assert.match(result.stdout, /3 not helpful,\s+0 helpful \(100% not\)\s+Sextortion/);
    assert.match(result.stdout, /1 x {2}"how do I book the minibus for \[name\]"/);
    assert.match(result.stdout, /Topics never asked about \(\d+ of \d+\)/);
    assert.doesNotMatch(result.stdout.split('Topics never asked about')[1]!, /\[county-lines\]/);
  });
});
