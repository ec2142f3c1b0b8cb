import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readConfig } from '../config.js';
import { loadKnowledgePack } from '../knowledge/load-knowledge-pack.js';
import { SqliteRecordStore } from '../storage/sqlite-record-store.js';

/**
 * `npm run report`: what the records say, for a knowledge editor. Which topics do not help, which
 * questions went unanswered (redacted), and which topics nobody asked about: what to add or reword next.
 */
function main(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = readConfig();
  const file = resolve(join(config.dataDirectory, 'safeguarding-assistant.sqlite'));
  if (!existsSync(file)) {
    console.log(`No records yet: ${file} does not exist. Start the bot (npm start) and use it first.`);
    return;
  }
  const store = new SqliteRecordStore(file, { readonly: true });
  const report = store.report();
  store.close();
  const { pack } = loadKnowledgePack(config.knowledgeDirectory);
  const title = (topicId: string) => pack.topicsById.get(topicId)?.title ?? `${topicId} (no longer in the pack)`;

  console.log(`Safeguarding Assistant records (${file})\n`);

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

  const asked = new Set(report.questionsByTopic.map((row) => row.topicId));
  const neverAsked = pack.topics.filter((topic) => !asked.has(topic.id));
  console.log(`\nTopics never asked about (${neverAsked.length} of ${pack.topics.length})`);
  for (const topic of neverAsked) console.log(`  ${topic.title} [${topic.id}]`);

  console.log(
    '\nNext steps: add phrasings for the unanswered questions to the closest topic in knowledge/topics/, reword the least helpful topics, then run npm run check:knowledge and npm run eval.',
  );
}

main();
