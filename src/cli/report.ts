import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readConfig } from '../config.js';
import { closedRequestRetentionDays } from '../escalation/lead-requests.js';
import { defaultWorkingDay, type WorkingDay, workingMinutesBetween } from '../escalation/working-hours.js';
import { loadKnowledgePack } from '../knowledge/load-knowledge-pack.js';
import { StartupError } from '../startup-error.js';
import { databaseProblem, sqliteFile } from '../storage/open-record-store.js';
import { PostgresRecordStore } from '../storage/postgres-record-store.js';
import type { RecordStore, StoreReport } from '../storage/record-store.js';
import { SqliteRecordStore } from '../storage/sqlite-record-store.js';

/**
 * `npm run report`: what the records say, for a knowledge editor. Which topics do not help, which
 * questions went unanswered (redacted), and which topics nobody asked about: what to add or reword next.
 * And for the safeguarding leads: requests to them by topic, how long they took to be taken, and how
 * many never were.
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

  console.log('\nImmediate risk: where the next round of checks should look');
  const { replies, confirmed } = report.possibleRisk;
  console.log(
    `  ${String(replies).padStart(6)} replies asked "Is a child in danger right now?" (the possible band); "Yes, now" was pressed on ${confirmed}${
      replies > 0 ? ` (${Math.round((100 * confirmed) / replies)}%)` : ''
    }`,
  );
  const emergencyNotHelpful = report.emergencyNotHelpful.reduce((sum, row) => sum + row.count, 0);
  console.log(`  ${String(emergencyNotHelpful).padStart(6)} emergency cards were marked not helpful${emergencyNotHelpful > 0 ? ':' : ''}`);
  for (const row of report.emergencyNotHelpful.slice(0, 20))
    console.log(`  ${String(row.count).padStart(10)} x  ${title(row.topicId)} [${row.topicId}]`);

  console.log('\nMost common unanswered questions (redacted; kept only when RECORD_UNANSWERED is on, for 90 days)');
  if (report.unanswered.length === 0) console.log(config.recordUnanswered ? '  none yet' : '  none (RECORD_UNANSWERED is off)');
  for (const row of report.unanswered.slice(0, 25))
    console.log(`  ${String(row.count).padStart(4)} x  "${row.text}"  (last ${row.lastDay})`);

  printLeadRequests(report.leadRequests, title, config.escalation?.workingDay ?? defaultWorkingDay);

  const asked = new Set(report.questionsByTopic.map((row) => row.topicId));
  const neverAsked = pack.topics.filter((topic) => !asked.has(topic.id));
  console.log(`\nTopics never asked about (${neverAsked.length} of ${pack.topics.length})`);
  for (const topic of neverAsked) console.log(`  ${topic.title} [${topic.id}]`);

  console.log(
    '\nNext steps: add phrasings for the unanswered questions to the closest topic in knowledge/topics/, reword the least helpful topics, then run npm run check:knowledge and npm run eval.',
  );
}

/** Requests to a safeguarding lead: by topic, how long they took to be taken (in working time), and how many never were. */
function printLeadRequests(requests: StoreReport['leadRequests'], title: (topicId: string) => string, workingDay: WorkingDay): void {
  console.log(`\nRequests to a safeguarding lead (closed ones are deleted ${closedRequestRetentionDays} days after closing)`);
  if (requests.length === 0) {
    console.log('  none');
    return;
  }
  const minutesToTake = (rows: typeof requests) =>
    rows
      .filter((row) => row.takenAt)
      .map((row) => workingMinutesBetween(new Date(row.askedAt), new Date(row.takenAt!), workingDay))
      .sort((a, b) => a - b);
  const neverTaken = requests.filter((row) => row.state === 'open');
  const taken = minutesToTake(requests);
  const closed = requests.filter((row) => row.state === 'closed').length;
  console.log(
    `  ${requests.length} asked: ${taken.length} taken (${closed} closed), ${neverTaken.length} never taken (${neverTaken.filter((row) => row.repostedAt).length} of them posted again)`,
  );
  const day = `${clock(workingDay.startMinute)}-${clock(workingDay.endMinute)}`;
  console.log(
    taken.length > 0
      ? `  Time to take, in working time (Monday to Friday ${day} UK): median ${duration(median(taken))}, longest ${duration(taken.at(-1)!)}`
      : '  Time to take: none taken yet',
  );
  console.log('  By topic, most asked first:');
  const byTopic = new Map<string, typeof requests>();
  for (const row of requests) byTopic.set(row.topicId ?? '', [...(byTopic.get(row.topicId ?? '') ?? []), row]);
  const topics = [...byTopic.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  for (const [topicId, rows] of topics) {
    const times = minutesToTake(rows);
    const never = rows.filter((row) => row.state === 'open').length;
    const figures = `${String(rows.length).padStart(4)} asked, ${String(times.length).padStart(3)} taken${
      times.length > 0 ? ` (median ${duration(median(times))})` : ''
    }, ${never} never taken`;
    console.log(`  ${figures}  ${topicId ? `${title(topicId)} [${topicId}]` : 'No topic (the bot could not match the question)'}`);
  }
}

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** "25 min", "2 h 10 min". */
function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

main().catch((error: unknown) => {
  // One line naming what to change, as at start-up; no stack trace.
  process.stderr.write(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exit(1);
});
