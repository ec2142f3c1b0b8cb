import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { StoredConversationRecords, userKey } from '../../src/conversation/conversation-records.js';
import { createLogger } from '../../src/logger.js';
import { PostgresRecordStore } from '../../src/storage/postgres-record-store.js';
import type { NewLeadRequest, RecordStore } from '../../src/storage/record-store.js';
import { SqliteRecordStore } from '../../src/storage/sqlite-record-store.js';
import { realEngine } from '../support/engine.js';
import { freshSchema, skipWithoutPostgres } from '../support/postgres.js';

/**
 * One contract for every record store: what the bot and `npm run report` rely on. It runs against
 * SQLite always and against PostgreSQL when TEST_DATABASE_URL is set (.ci/run starts a server).
 * "Opening again" means a second store on the same database: another connection for SQLite,
 * another instance of the bot for PostgreSQL.
 */
interface Backend {
  name: string;
  /** Before each test: an empty database. */
  prepare(context: Mocha.Context): Promise<void>;
  open(): Promise<RecordStore>;
  /** Runs SQL on the database directly, as a database made by an older version of the bot would need. */
  execute(sql: string): Promise<void>;
  cleanUp(): Promise<void>;
}

function sqliteBackend(): Backend {
  let directory = '';
  return {
    name: 'SQLite',
    async prepare() {
      directory = mkdtempSync(join(tmpdir(), 'records-contract-'));
    },
    async open() {
      return new SqliteRecordStore(join(directory, 'safeguarding-assistant.sqlite'));
    },
    async execute(sql) {
      const database = new Database(join(directory, 'safeguarding-assistant.sqlite'));
      try {
        database.exec(sql.replace(/UPDATE safeguarding_schema_version SET version = (\d+)/, 'PRAGMA user_version = $1'));
      } finally {
        database.close();
      }
    },
    async cleanUp() {
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
  return {
    name: 'PostgreSQL',
    async prepare(context) {
      skipWithoutPostgres(context, 'the record store contract on PostgreSQL');
      schema = await freshSchema();
    },
    async open() {
      return PostgresRecordStore.open(schema!.url);
    },
    async execute(sql) {
      const client = new pg.Client({ connectionString: schema!.url });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
    async cleanUp() {
      await schema?.drop();
      schema = undefined;
    },
  };
}

const day = '2026-11-24';

function leadRequest(id: string, extra: Partial<NewLeadRequest> = {}): NewLeadRequest {
  return {
    id,
    platform: 'slack',
    workspace: 'T0TEST',
    askerId: 'U0PRACTITIONER',
    askerAddress: '{}',
    topicId: 'nudes-sharing',
    urgency: 'today',
    askedAt: '2026-11-24T10:00:00.000Z',
    dueAt: '2026-11-24T12:00:00.000Z',
    ...extra,
  };
}

for (const backend of [sqliteBackend(), postgresBackend()]) {
  describe(`record store contract: ${backend.name}`, () => {
    const opened: RecordStore[] = [];
    const open = async () => {
      const store = await backend.open();
      opened.push(store);
      return store;
    };

    beforeEach(async function () {
      await backend.prepare(this);
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await backend.cleanUp();
    });

    it('creates its tables on first open, and opens again with the data kept', async () => {
      const first = await open();
      await first.recordFeedback('sextortion', 'helpful', 'teams', day);
      await first.close();
      const again = await open();
      assert.deepEqual((await again.report()).feedbackByTopic, [{ topicId: 'sextortion', helpful: 1, notHelpful: 0 }]);
    });

    it('counts questions by kind and by topic, leaving questions without a topic out of the topics', async () => {
      const store = await open();
      await store.recordQuestion('answer', 'county-lines', 'slack', day);
      await store.recordQuestion('answer', 'county-lines', 'teams', day);
      await store.recordQuestion('answer', 'grooming', 'teams', '2026-11-25');
      await store.recordQuestion('fallback', null, 'teams', day);
      const report = await store.report();
      assert.deepEqual(report.questionsByKind, [
        { kind: 'answer', count: 3 },
        { kind: 'fallback', count: 1 },
      ]);
      assert.deepEqual(report.questionsByTopic, [
        { topicId: 'county-lines', count: 2 },
        { topicId: 'grooming', count: 1 },
      ]);
    });

    it('keeps helpful and not-helpful votes per topic', async () => {
      const store = await open();
      for (let index = 0; index < 3; index++) await store.recordFeedback('sextortion', 'not-helpful', 'teams', day);
      await store.recordFeedback('sextortion', 'helpful', 'slack', day);
      await store.recordFeedback('county-lines', 'helpful', 'playground', day);
      assert.deepEqual((await store.report()).feedbackByTopic, [
        { topicId: 'county-lines', helpful: 1, notHelpful: 0 },
        { topicId: 'sextortion', helpful: 1, notHelpful: 3 },
      ]);
    });

    it('counts feedback once per person per answer; a second press on the same answer changes the verdict, not the count', async () => {
      const store = await open();
      const feedback = {
        userKey: 'user-a',
        answerRef: 'ref00001',
        topicId: 'sextortion',
        verdict: 'helpful' as const,
        risk: 'none' as const,
      };
      assert.equal(await store.recordFeedbackOnce(feedback, 'teams', '2026-11-24'), true);
      assert.equal(await store.recordFeedbackOnce(feedback, 'teams', '2026-11-24'), false);
      assert.equal(await store.recordFeedbackOnce({ ...feedback, verdict: 'not-helpful' }, 'teams', '2026-11-24'), false);
      assert.equal(await store.recordFeedbackOnce({ ...feedback, userKey: 'user-b' }, 'teams', '2026-11-24'), true);
      assert.equal(await store.recordFeedbackOnce({ ...feedback, answerRef: 'ref00002' }, 'teams', '2026-11-24'), true);
      assert.deepEqual((await store.report()).feedbackByTopic, [{ topicId: 'sextortion', helpful: 2, notHelpful: 1 }]);
    });

    it('counts possible-band replies, "Yes, now" presses once per reply, and emergency cards marked not helpful', async () => {
      const store = await open();
      for (let index = 0; index < 3; index++) await store.recordPossibleRisk('teams', '2026-11-24');
      await store.recordPossibleRisk('slack', '2026-11-25');
      await store.recordDangerConfirmed('ref00001', 'teams', '2026-11-24');
      await store.recordDangerConfirmed('ref00001', 'teams', '2026-11-24');
      await store.recordDangerConfirmed('ref00002', 'slack', '2026-11-25');
      const notHelpful = {
        userKey: 'u1',
        answerRef: 'ref00003',
        topicId: 'grooming',
        verdict: 'not-helpful' as const,
        risk: 'emergency' as const,
      };
      await store.recordFeedbackOnce(notHelpful, 'teams', '2026-11-24');
      await store.recordFeedbackOnce({ ...notHelpful, userKey: 'u2' }, 'teams', '2026-11-24');
      await store.recordFeedbackOnce({ ...notHelpful, userKey: 'u3', verdict: 'helpful' }, 'teams', '2026-11-24');
      await store.recordFeedbackOnce({ ...notHelpful, userKey: 'u4', risk: 'none' }, 'teams', '2026-11-24');
      const report = await store.report();
      assert.deepEqual(report.possibleRisk, { replies: 4, confirmed: 2 });
      assert.deepEqual(report.emergencyNotHelpful, [{ topicId: 'grooming', count: 2 }]);
    });

    it('remembers and replaces area choices, and knows nothing of users who never chose', async () => {
      const store = await open();
      assert.equal(await store.getArea('key-a'), undefined);
      await store.setArea('key-a', 'derby-city', day);
      await store.setArea('key-b', 'derbyshire', day);
      await store.setArea('key-a', 'derbyshire', '2026-11-25');
      assert.equal(await store.getArea('key-a'), 'derbyshire');
      assert.equal(await store.getArea('key-b'), 'derbyshire');
      assert.equal(await store.getArea('key-c'), undefined);
    });

    it('keeps unanswered questions grouped and cut to 500 characters, and removes them after their expiry day', async () => {
      const store = await open();
      await store.recordUnanswered('how do I book the minibus for [name]', 'fallback', 'teams', '2026-01-01', '2026-04-01');
      await store.recordUnanswered('how do I book the minibus for [name]', 'fallback', 'slack', '2026-01-02', '2026-04-02');
      await store.recordUnanswered('x'.repeat(800), 'clarify', 'teams', '2026-01-01', '2026-04-01');
      const { unanswered } = await store.report();
      assert.deepEqual(unanswered[0], { text: 'how do I book the minibus for [name]', count: 2, lastDay: '2026-01-02' });
      assert.equal(unanswered[1]!.text.length, 500);
      assert.equal(await store.pruneExpired('2026-04-01'), 0);
      assert.equal(await store.pruneExpired('2026-04-02'), 2);
      assert.deepEqual((await store.report()).unanswered, [
        { text: 'how do I book the minibus for [name]', count: 1, lastDay: '2026-01-02' },
      ]);
    });

    it("lets two stores on one database (two instances) see each other's area choices, feedback and counts", async () => {
      const [one, two] = [await open(), await open()];
      const records = (store: RecordStore) =>
        new StoredConversationRecords(store, () => new Date('2026-11-24T12:00:00Z'), createLogger('silent'), {
          recordUnanswered: false,
          // Long enough that nothing is written until the flush below: counts gather, then add up.
          questionCountDelayMs: 60_000,
        });
      await records(one).setArea('29:user-abc', 'teams', 'derby-city');
      assert.equal(await records(two).getArea('29:user-abc', 'teams'), 'derby-city');
      await records(two).setArea('29:user-abc', 'teams', 'derbyshire');
      assert.equal(await records(one).getArea('29:user-abc', 'teams'), 'derbyshire');
      await records(one).feedback('grooming', 'helpful', 'teams');
      await records(two).feedback('grooming', 'not-helpful', 'slack');
      const answer = realEngine().answer('county lines');
      const [first, second] = [records(one), records(two)];
      await first.question(answer, 'teams', () => '');
      await second.question(answer, 'slack', () => '');
      assert.deepEqual((await one.report()).questionsByTopic, [], 'question counts gather in memory before they are written');
      await Promise.all([first.flush(), second.flush()]);
      for (const store of [one, two]) {
        const report = await store.report();
        assert.deepEqual(report.feedbackByTopic, [{ topicId: 'grooming', helpful: 1, notHelpful: 1 }]);
        assert.deepEqual(report.questionsByTopic, [{ topicId: 'county-lines', count: 2 }]);
      }
      // Kept under a one-way hash of platform and id, never the id itself.
      assert.equal(await one.getArea(userKey('29:user-abc', 'teams')), 'derbyshire');
      assert.equal(await one.getArea('29:user-abc'), undefined);
    });

    it('loses nothing when several stores write at once', async () => {
      const stores = [await open(), await open(), await open()];
      await Promise.all(
        Array.from({ length: 300 }, async (_, index) => {
          const store = stores[index % 3]!;
          await store.recordFeedback(index % 2 ? 'grooming' : 'county-lines', index % 5 ? 'helpful' : 'not-helpful', 'slack', day);
          await store.recordQuestion('answer', 'grooming', 'slack', day);
        }),
      );
      const report = await stores[1]!.report();
      assert.equal(
        report.feedbackByTopic.reduce((sum, row) => sum + row.helpful + row.notHelpful, 0),
        300,
      );
      assert.deepEqual(report.questionsByTopic, [{ topicId: 'grooming', count: 300 }]);
    });

    it('migrates once when several instances open a new database at the same moment', async () => {
      const stores = await Promise.all([open(), open(), open(), open()]);
      await stores[0]!.recordQuestion('help', null, 'teams', day);
      for (const store of stores) assert.deepEqual((await store.report()).questionsByKind, [{ kind: 'help', count: 1 }]);
    });

    it('brings a database of the first version up to date (lead requests, feedback once, possible-band counts), keeping its records', async () => {
      const first = await open();
      await first.recordFeedback('sextortion', 'helpful', 'teams', day);
      await first.close();
      // Back to the first version: everything the later migrations add goes.
      await backend.execute(
        `DROP TABLE lead_requests; DROP TABLE channel_references; DROP TABLE possible_risk_counts; DROP TABLE danger_confirmations;
         DROP INDEX feedback_once; ALTER TABLE feedback DROP COLUMN user_key; ALTER TABLE feedback DROP COLUMN answer_ref;
         ALTER TABLE feedback DROP COLUMN risk; UPDATE safeguarding_schema_version SET version = 1`,
      );
      const again = await open();
      await again.createLeadRequest(leadRequest('m1'));
      assert.equal((await again.getLeadRequest('m1'))!.state, 'open');
      assert.deepEqual((await again.report()).feedbackByTopic, [{ topicId: 'sextortion', helpful: 1, notHelpful: 0 }]);
    });

    it('keeps a lead request with its topic, urgency, state, times and where it was posted', async () => {
      const store = await open();
      await store.createLeadRequest(leadRequest('a1', { askerAddress: '{"name":"Test Practitioner"}' }));
      await store.createLeadRequest(leadRequest('a2', { topicId: null, urgency: 'this-week', platform: 'teams', askerId: '29:someone' }));
      await store.setLeadRequestPost('a1', '{"channel":"C0LEADS","ts":"1.2"}');
      assert.deepEqual(await store.getLeadRequest('a1'), {
        ...leadRequest('a1', { askerAddress: '{"name":"Test Practitioner"}' }),
        state: 'open',
        repostedAt: null,
        takenAt: null,
        takenBy: null,
        closedAt: null,
        closedBy: null,
        post: '{"channel":"C0LEADS","ts":"1.2"}',
      });
      assert.equal((await store.getLeadRequest('a2'))!.topicId, null);
      assert.equal(await store.getLeadRequest('nope'), undefined);
      assert.equal((await store.activeLeadRequest('slack', 'U0PRACTITIONER', 'nudes-sharing'))!.id, 'a1');
      assert.equal((await store.activeLeadRequest('teams', '29:someone', null))!.id, 'a2');
      assert.equal(await store.activeLeadRequest('teams', 'U0PRACTITIONER', 'nudes-sharing'), undefined);
      await store.deleteLeadRequest('a2');
      assert.equal(await store.getLeadRequest('a2'), undefined);
    });

    it('lets one lead take a request, however many instances press at once, and closes only a taken one', async () => {
      const [one, two, three] = [await open(), await open(), await open()];
      await one.createLeadRequest(leadRequest('b1'));
      assert.equal(await one.closeLeadRequest('b1', { id: 'U1', name: null }, '2026-11-24T10:01:00.000Z', '2026-12-24'), false);
      const taken = await Promise.all(
        [one, two, three].map((store, index) =>
          store.takeLeadRequest('b1', { id: `ULEAD${index}`, name: `Lead ${index}` }, `2026-11-24T10:0${index}:00.000Z`),
        ),
      );
      assert.equal(taken.filter(Boolean).length, 1);
      const winner = taken.indexOf(true);
      const record = (await two.getLeadRequest('b1'))!;
      assert.equal(record.state, 'taken');
      assert.deepEqual(record.takenBy, { id: `ULEAD${winner}`, name: `Lead ${winner}` });
      assert.equal(record.takenAt, `2026-11-24T10:0${winner}:00.000Z`);
      assert.equal(await three.closeLeadRequest('b1', { id: 'ULEAD9', name: null }, '2026-11-24T15:00:00.000Z', '2026-12-24'), true);
      assert.equal(await one.closeLeadRequest('b1', { id: 'ULEAD9', name: null }, '2026-11-24T15:00:00.000Z', '2026-12-24'), false);
      const closed = (await one.getLeadRequest('b1'))!;
      assert.equal(closed.state, 'closed');
      assert.deepEqual(closed.closedBy, { id: 'ULEAD9', name: null });
      assert.equal(await one.activeLeadRequest('slack', 'U0PRACTITIONER', 'nudes-sharing'), undefined);
    });

    it('hands each overdue, untaken request to one instance only, once', async () => {
      const stores = [await open(), await open(), await open()];
      await stores[0]!.createLeadRequest(leadRequest('c1', { dueAt: '2026-11-24T12:00:00.000Z' }));
      await stores[0]!.createLeadRequest(leadRequest('c2', { dueAt: '2026-11-24T12:00:00.001Z' }));
      await stores[0]!.createLeadRequest(leadRequest('c3', { dueAt: '2026-11-24T11:00:00.000Z' }));
      await stores[0]!.takeLeadRequest('c3', { id: 'ULEAD', name: null }, '2026-11-24T10:30:00.000Z');
      const now = '2026-11-24T12:00:00.000Z';
      const claimed = (await Promise.all(stores.map((store) => store.claimOverdueLeadRequests(now)))).flat();
      assert.deepEqual(
        claimed.map((record) => [record.id, record.repostedAt]),
        [['c1', now]],
      );
      assert.deepEqual(await stores[1]!.claimOverdueLeadRequests('2026-11-25T12:00:00.000Z').then((rows) => rows.map((row) => row.id)), [
        'c2',
      ]);
      assert.deepEqual(await stores[2]!.claimOverdueLeadRequests('2026-11-26T12:00:00.000Z'), []);
    });

    it('deletes a closed lead request after its expiry day, and keeps open and taken ones', async () => {
      const store = await open();
      for (const id of ['d1', 'd2', 'd3']) await store.createLeadRequest(leadRequest(id, { askerId: `U${id}` }));
      await store.takeLeadRequest('d2', { id: 'ULEAD', name: null }, '2026-11-24T10:30:00.000Z');
      await store.takeLeadRequest('d3', { id: 'ULEAD', name: null }, '2026-11-24T10:30:00.000Z');
      await store.closeLeadRequest('d3', { id: 'ULEAD', name: null }, '2026-11-24T11:00:00.000Z', '2026-12-24');
      assert.equal(await store.pruneExpired('2026-12-24'), 0);
      assert.equal(await store.pruneExpired('2026-12-25'), 1);
      assert.deepEqual(
        (await store.report()).leadRequests.map((row) => row.state),
        ['open', 'taken'],
      );
    });

    it('deletes a lead request nobody closed 90 days after it was asked, since it holds the asker', async () => {
      const store = await open();
      for (const id of ['u1', 'u2']) await store.createLeadRequest(leadRequest(id, { askerId: `U${id}` }));
      await store.takeLeadRequest('u2', { id: 'ULEAD', name: null }, '2026-11-24T10:30:00.000Z');
      // Asked on 2026-11-24: kept through 2027-02-22 (89 days on), gone once 90 days have passed.
      assert.equal(await store.pruneExpired('2027-02-22'), 0);
      assert.equal(await store.pruneExpired('2027-02-23'), 2);
      assert.equal(await store.getLeadRequest('u1'), undefined);
    });

    it('reports lead requests by topic, urgency, state and times, without who asked', async () => {
      const store = await open();
      await store.createLeadRequest(leadRequest('e2', { askedAt: '2026-11-24T11:00:00.000Z', topicId: null, urgency: 'this-week' }));
      await store.createLeadRequest(leadRequest('e1'));
      await store.takeLeadRequest('e1', { id: 'ULEAD', name: null }, '2026-11-24T10:20:00.000Z');
      await store.claimOverdueLeadRequests('2026-11-30T00:00:00.000Z');
      assert.deepEqual((await store.report()).leadRequests, [
        {
          topicId: 'nudes-sharing',
          urgency: 'today',
          state: 'taken',
          platform: 'slack',
          askedAt: '2026-11-24T10:00:00.000Z',
          takenAt: '2026-11-24T10:20:00.000Z',
          repostedAt: null,
        },
        {
          topicId: null,
          urgency: 'this-week',
          state: 'open',
          platform: 'slack',
          askedAt: '2026-11-24T11:00:00.000Z',
          takenAt: null,
          repostedAt: '2026-11-30T00:00:00.000Z',
        },
      ]);
    });

    it('remembers a channel reference, replaced when learnt again, for every instance', async () => {
      const [one, two] = [await open(), await open()];
      assert.equal(await one.getChannelReference('teams-leads'), undefined);
      await one.setChannelReference('teams-leads', '{"serviceUrl":"https://a.example/"}', '2026-11-24T10:00:00.000Z');
      await two.setChannelReference('teams-leads', '{"serviceUrl":"https://b.example/"}', '2026-11-24T11:00:00.000Z');
      assert.equal(await one.getChannelReference('teams-leads'), '{"serviceUrl":"https://b.example/"}');
    });

    it('reports failures as rejected promises, not throws, once closed', async () => {
      const store = await open();
      await store.close();
      const pending = store.recordQuestion('answer', 'grooming', 'teams', day);
      assert.ok(pending instanceof Promise);
      await assert.rejects(pending);
      await assert.rejects(store.getArea('key-a'));
      await store.close();
    });
  });
}
