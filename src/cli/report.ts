import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readConfig } from '../config.js';
import { loadKnowledgePack } from '../knowledge/load-knowledge-pack.js';
import { StartupError } from '../startup-error.js';
import { databaseProblem, sqliteFile } from '../storage/open-record-store.js';
import { PostgresRecordStore } from '../storage/postgres-record-store.js';
import type { RecordStore } from '../storage/record-store.js';
import { SqliteRecordStore } from '../storage/sqlite-record-store.js';

/**
 * `npm run report`: what the records say, for a knowledge editor. Which topics do not help, which
 * questions went unanswered (redacted), and which topics nobody asked about: what to add or reword next.
 * It reads whichever store the bot is configured with: PostgreSQL when DATABASE_URL is set (every
 * instance's records together; no SQLite file is written), otherwise the SQLite file under DATA_DIR.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = readConfig();
  let store: RecordStore;
  let where: string;
  if (config.database) {
    const url = new URL(config.database.url);
    where = `PostgreSQL ${url.hostname}:${url.port || '5432'}/${decodeURIComponent(url.pathname.slice(1))}`;
    try {
      // Reading only: a database the bot has not yet used gets its (empty) tables, as a first start would.
      store = await PostgresRecordStore.open(config.database.url, { poolSize: 2, migrate: true });
    } catch (error) {
      throw new StartupError(databaseProblem(config.database.url, error));
    }
  } else {
    const file = resolve(sqliteFile(config));
    where = file;
    if (!existsSync(file)) {
      console.log(`No records yet: ${file} does not exist. Start the bot (npm start) and use it first.`);
      return;
    }
    store = new SqliteRecordStore(file, { readonly: true });
  }
  const report = await store.report().finally(() => store.close());
  const { pack } = loadKnowledgePack(config.knowledgeDirectory);
  const title = (topicId: string) => pack.topicsById.get(topicId)?.title ?? `${topicId} (no longer in the pack)`;

  console.log(`Safeguarding Assistant records (${where})\n`);

  console.log('Questions by kind of answer');
  const totalQuestions = report.questionsByKind.reduce((sum, row) => sum + row.count, 0);
  if (totalQuestions === 0) console.log('  none yet');
  for (const row of report.questionsByKind) console.log(`  ${row.kind.padEnd(10)} ${String(row.count).padStart(6)}`);
  if (totalQuestions > 0) console.log(`  ${'total'.padEnd(10)} ${String(totalQuestions).padStart(6)}`);

  console.log('\nFeedback by topic, least helpful first');
  const feedback = [...report.feedbackByTopic].sort(
    (a, b) => b.notHelpful / (b.helpful + b.notHelpful) - a.notHelpful / (a.helpful + a.notHelpful) || b.notHelpful - a.notHelpful,
  );
  if (feedback.length === 0) console.log('  none yet');
  for (const row of feedback.slice(0, 20)) {
    const votes = row.helpful + row.notHelpful;
    console.log(
      `  ${String(row.notHelpful).padStart(4)} not helpful, ${String(row.helpful).padStart(4)} helpful (${Math.round((100 * row.notHelpful) / votes)}% not)  ${title(row.topicId)} [${row.topicId}]`,
    );
  }

  console.log('\nMost common unanswered questions (redacted; kept only when RECORD_UNANSWERED is on, for 90 days)');
  if (report.unanswered.length === 0) console.log(config.recordUnanswered ? '  none yet' : '  none (RECORD_UNANSWERED is off)');
  for (const row of report.unanswered.slice(0, 25))
    console.log(`  ${String(row.count).padStart(4)} x  "${row.text}"  (last ${row.lastDay})`);

  const asked = new Set(report.questionsByTopic.map((row) => row.topicId));
  const neverAsked = pack.topics.filter((topic) => !asked.has(topic.id));
  console.log(`\nTopics never asked about (${neverAsked.length} of ${pack.topics.length})`);
  for (const topic of neverAsked) console.log(`  ${topic.title} [${topic.id}]`);

  console.log(
    '\nNext steps: add phrasings for the unanswered questions to the closest topic in knowledge/topics/, reword the least helpful topics, then run npm run check:knowledge and npm run eval.',
  );
}

main().catch((error: unknown) => {
  // One line naming what to change, as at start-up; no stack trace.
  process.stderr.write(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exit(1);
});
