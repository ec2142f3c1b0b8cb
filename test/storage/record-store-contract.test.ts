import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoredConversationRecords, userKey } from '../../src/conversation/conversation-records.js';
import { createLogger } from '../../src/logger.js';
import { PostgresRecordStore } from '../../src/storage/postgres-record-store.js';
import type { RecordStore } from '../../src/storage/record-store.js';
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
    async cleanUp() {
      await schema?.drop();
      schema = undefined;
    },
  };
}

const day = '2026-11-24';

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
        new StoredConversationRecords(store, () => new Date('2026-11-24T12:00:00Z'), createLogger('silent'), { recordUnanswered: false });
      await records(one).setArea('29:user-abc', 'teams', 'derby-city');
      assert.equal(await records(two).getArea('29:user-abc', 'teams'), 'derby-city');
      await records(two).setArea('29:user-abc', 'teams', 'derbyshire');
      assert.equal(await records(one).getArea('29:user-abc', 'teams'), 'derbyshire');
      await records(one).feedback('grooming', 'helpful', 'teams');
      await records(two).feedback('grooming', 'not-helpful', 'slack');
      const answer = realEngine().answer('county lines');
      await records(one).question(answer, 'teams', () => '');
      await records(two).question(answer, 'slack', () => '');
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
