import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import sinon from 'sinon';
import { StoredConversationRecords, userKey } from '../../src/conversation/conversation-records.js';
import { createLogger } from '../../src/logger.js';
import { SqliteRecordStore } from '../../src/storage/sqlite-record-store.js';
import { captureLogs } from '../support/capture-logs.js';
import { realEngine } from '../support/engine.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('record store: SQLite specifics and npm run report', () => {
  let directory: string;
  let file: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'records-'));
    file = join(directory, 'safeguarding-assistant.sqlite');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps each person under a one-way hash when counting their feedback once', async () => {
    const store = new SqliteRecordStore(file);
    const records = new StoredConversationRecords(store, () => new Date('2026-11-24T12:00:00Z'), createLogger('silent'), {
      recordUnanswered: false,
    });
    assert.equal(await records.feedbackOnce('29:person', 'ref00001', 'sextortion', 'helpful', 'none', 'teams'), true);
    assert.equal(await records.feedbackOnce('29:person', 'ref00001', 'sextortion', 'helpful', 'none', 'teams'), false);
    await records.possibleRisk('teams');
    await records.dangerConfirmed('ref00009', 'teams');
    assert.deepEqual((await store.report()).possibleRisk, { replies: 1, confirmed: 1 });
    await store.close();
    const stored = new Database(file, { readonly: true });
    const keys = stored.prepare('SELECT user_key FROM feedback').all() as Array<{ user_key: string }>;
    stored.close();
    assert.deepEqual(keys, [{ user_key: userKey('29:person', 'teams') }]);
    assert.doesNotMatch(JSON.stringify(keys), /person/);
  });

  it('brings a database of the first version up to date without losing its feedback', async () => {
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
    await store.recordFeedbackOnce(
      { userKey: 'u', answerRef: 'ref00001', topicId: 'grooming', verdict: 'helpful', risk: 'none' },
      'teams',
      '2026-11-24',
    );
    assert.deepEqual((await store.report()).feedbackByTopic, [{ topicId: 'grooming', helpful: 1, notHelpful: 1 }]);
    await store.close();
  });

  it('logs a locked database and carries on, so the user still gets an answer', async () => {
    const { logger, lines } = captureLogs();
    const store = new SqliteRecordStore(file, { busyTimeoutMs: 50 });
    const blocker = new Database(file);
    blocker.exec('BEGIN EXCLUSIVE');
    const records = new StoredConversationRecords(store, () => new Date('2026-11-24T12:00:00Z'), logger, { recordUnanswered: false });
    await records.feedback('sextortion', 'helpful', 'teams');
    await records.setArea('user-1', 'teams', 'derby-city');
    blocker.exec('ROLLBACK');
    blocker.close();
    await store.close();
    assert.match(lines.join(''), /record-failed/);
  });

  it('keeps unanswered questions only when asked to, redacted, and forgets them after 90 days', async () => {
    const engine = realEngine();
    const store = new SqliteRecordStore(file);
    const fallback = engine.answer('how do I book the minibus for Jessamyn on 12/03/2026');
    assert.equal(fallback.kind, 'fallback');
    const question = 'how do I book the minibus for a girl called Jessamyn, dob 12/03/2011, 07700 900123';
    const logger = createLogger('silent');
    await new StoredConversationRecords(store, () => new Date('2026-01-01T12:00:00Z'), logger, { recordUnanswered: false }).question(
      fallback,
      'teams',
      () => engine.redact(question),
    );
    assert.deepEqual((await store.report()).unanswered, []);
    await new StoredConversationRecords(store, () => new Date('2026-01-01T12:00:00Z'), logger, { recordUnanswered: true }).question(
      fallback,
      'teams',
      () => engine.redact(question),
    );
    const [kept] = (await store.report()).unanswered;
    assert.ok(kept);
    assert.doesNotMatch(kept.text, /Jessamyn|12\/03\/2011|07700/);
    assert.match(kept.text, /minibus/);
    assert.equal(await store.pruneExpired('2026-03-31'), 0);
    assert.equal(await store.pruneExpired('2026-04-02'), 1);
    await store.close();
  });

  it('stores area choices under a hash of the user id, not the id itself', async () => {
    const store = new SqliteRecordStore(file);
    const records = new StoredConversationRecords(store, () => new Date(), createLogger('silent'), { recordUnanswered: false });
    await records.setArea('29:user-abc', 'teams', 'derbyshire');
    assert.equal(await records.getArea('29:user-abc', 'teams'), 'derbyshire');
    assert.equal(await records.getArea('29:user-abc', 'slack'), undefined);
    await store.close();
    const raw = new Database(file, { readonly: true });
    const keys = raw.prepare('SELECT user_key FROM area_preferences').all() as Array<{ user_key: string }>;
    raw.close();
    assert.deepEqual(keys, [{ user_key: userKey('29:user-abc', 'teams') }]);
    assert.doesNotMatch(keys[0]!.user_key, /user-abc/);
  });

  it("reads a person's area from SQLite once, then from memory; a new choice is kept; PostgreSQL mode reads every time", async () => {
    for (const cacheAreas of [true, false]) {
      const store = new SqliteRecordStore(join(directory, `areas-${cacheAreas}.sqlite`));
      const reads = sinon.spy(store, 'getArea');
      const records = new StoredConversationRecords(store, () => new Date(), createLogger('silent'), {
        recordUnanswered: false,
        cacheAreas,
      });
      assert.equal(await records.getArea('29:user-abc', 'teams'), undefined);
      assert.equal(await records.getArea('29:user-abc', 'teams'), undefined);
      await records.setArea('29:user-abc', 'teams', 'derby-city');
      assert.equal(await records.getArea('29:user-abc', 'teams'), 'derby-city');
      assert.equal(await records.getArea('29:user-abc', 'slack'), undefined);
      assert.equal(reads.callCount, cacheAreas ? 2 : 4, `cacheAreas ${cacheAreas}`);
      await store.close();
    }
  });

  it('does not trust memory after a failed choice: the next message reads the store', async () => {
    const store = new SqliteRecordStore(file);
    const records = new StoredConversationRecords(store, () => new Date(), createLogger('silent'), { recordUnanswered: false });
    await records.setArea('29:user-abc', 'teams', 'derbyshire');
    sinon.stub(store, 'setArea').rejects(new Error('disk full'));
    const reads = sinon.spy(store, 'getArea');
    await records.setArea('29:user-abc', 'teams', 'derby-city');
    assert.equal(await records.getArea('29:user-abc', 'teams'), 'derbyshire');
    assert.equal(reads.callCount, 1);
    await store.close();
  });

  it('npm run report shows counts, least helpful topics, unanswered questions and topics never asked', async () => {
    const store = new SqliteRecordStore(file);
    for (let index = 0; index < 3; index++) await store.recordFeedback('sextortion', 'not-helpful', 'teams', '2026-11-24');
    await store.recordFeedback('county-lines', 'helpful', 'slack', '2026-11-24');
    await store.recordQuestion('answer', 'county-lines', 'slack', '2026-11-24');
    await store.recordQuestion('fallback', null, 'teams', '2026-11-24');
    await store.recordUnanswered('how do I book the minibus for [name]', 'fallback', 'teams', '2026-11-24', '2027-02-22');
    await store.close();
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

  it('npm run report shows lead requests by topic, the time to take them in working time, and how many were never taken', async () => {
    const store = new SqliteRecordStore(file);
    const request = (id: string, topicId: string | null, askedAt: string) => ({
      id,
      platform: 'slack' as const,
      workspace: 'T0TEST',
      askerId: `U${id}`,
      askerAddress: '{}',
      topicId,
      urgency: 'today' as const,
      askedAt,
      dueAt: '2026-11-24T12:00:00.000Z',
    });
    const lead = { id: 'ULEAD', name: null };
    // Tuesday 24 November 2026: taken after 20 and 40 minutes; one asked on Friday at 16:50, taken on Monday at 09:10 (20 working minutes).
    await store.createLeadRequest(request('r1', 'sextortion', '2026-11-24T10:00:00.000Z'));
    await store.takeLeadRequest('r1', lead, '2026-11-24T10:20:00.000Z');
    await store.createLeadRequest(request('r2', 'sextortion', '2026-11-24T11:00:00.000Z'));
    await store.takeLeadRequest('r2', lead, '2026-11-24T11:40:00.000Z');
    await store.closeLeadRequest('r2', lead, '2026-11-24T15:00:00.000Z', '2026-12-24');
    await store.createLeadRequest(request('r3', 'county-lines', '2026-11-27T16:50:00.000Z'));
    await store.takeLeadRequest('r3', lead, '2026-11-30T09:10:00.000Z');
    await store.createLeadRequest(request('r4', null, '2026-11-24T10:00:00.000Z'));
    await store.claimOverdueLeadRequests('2026-11-24T12:00:00.000Z');
    await store.createLeadRequest(request('r5', 'sextortion', '2026-11-25T10:00:00.000Z'));
    await store.close();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/report.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: directory },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const section = result.stdout.split('Requests to a safeguarding lead')[1]!.split('\n\n')[0]!;
    assert.match(section, /5 asked: 3 taken \(1 closed\), 2 never taken \(1 of them posted again\)/);
    assert.match(section, /median 20 min, longest 40 min/);
    assert.match(section, /3 asked,\s+2 taken \(median 30 min\), 1 never taken {2}Sextortion[^\n]* \[sextortion\]/);
    assert.match(section, /1 asked,\s+1 taken \(median 20 min\), 0 never taken {2}[^\n]* \[county-lines\]/);
    assert.match(section, /1 asked,\s+0 taken, 1 never taken {2}No topic/);
    assert.doesNotMatch(result.stdout, /Ur[1-5]|T0TEST/, 'the report names nobody');
  });
});
