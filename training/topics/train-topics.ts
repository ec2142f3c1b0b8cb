import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/index.js';
import type { LabelledFeatures } from '../../src/engine/nearest-accounts.js';
import {
  fieldProbability,
  type RankerInput,
  rankerFeatures,
  rankerProbabilities,
  TopicRanker,
  type TopicRankerHeader,
} from '../../src/engine/topic-ranker.js';
import { loadKnowledgePack } from '../../src/knowledge/load-knowledge-pack.js';
import type { KnowledgePack } from '../../src/knowledge/pack-types.js';
import { defaultTopicRankerDirectory, encodeTopicRanker, topicRankerFileName } from '../../src/knowledge/topic-ranker-file.js';
import { type LabelledAccount as Account, readLabelledAccounts, readOffTopicMessages, topicCorpusSha256 } from './corpus.js';

/**
 * `npm run train:topics`: trains the learned topic ranker from long accounts labelled with the topics
 * a safeguarding lead would accept (training/topics/corpus/, and the blind rounds already scored in
 * eval/blind/), with each topic's own phrasings as short examples. It chooses how the ranker is
 * combined with the matcher by five-fold cross-validation over the accounts, judged as `npm run eval`
 * judges (an answer with one of the listed topics), then trains on everything and writes
 * models/topic-ranker.json and topic-ranker.md (the figures). Fixed seed: the same corpus gives the
 * same model.
 */

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const seed = 20261206;
const epochs = 40;
const learningRate = 0.5;
const l2 = 1e-5;
const phrasingWeight = 0.5;
const minimumDocuments = 2;
const folds = 5;
const blendWeights = [0.8];
const answerFroms = [0.06, 0.08, 0.1, 0.125];
/** From what probability the ranker answers without a telling word in common with the topic (undefined: never). */
const aloneUnanchoredFroms = [undefined, 0.1, 0.15, 0.2, 0.3];
/** The share of the long off-topic check messages a blend must leave "not my subject" to be chosen at all. */
const offTopicDeclinedAtLeast = 0.8;
/** Whether the ranker may speak: from this probability of the field row. */
const fieldFrom = 0.5;
/** All the messages about something else together weigh this share of what the accounts and phrasings weigh. */
const offTopicShare = 0.5;
/**
 * The closest accounts vote beside the softmax (src/engine/nearest-accounts.ts). Chosen on the 1,909
 * accounts by five-fold cross-validation of the ranker's top topic: 84.2% for the softmax with asked
 * terms alone, 85.7% with the 15 closest accounts given 0.35 of the say (30 accounts: 85.4%).
 */
const nearest = { count: 15, laterTopicShare: 0.5, share: 0.35 };

interface Example {
  input: RankerInput;
  topics: number[];
  weight: number;
}

function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function foldOf(text: string): number {
  return createHash('sha256').update(text).digest()[0]! % folds;
}

/** Adagrad with L2 on one weight: rare terms keep learning after common ones have settled. */
function adagradStep(weights: Float32Array, squared: Float32Array, at: number, gradient: number): void {
  const step = gradient + l2 * weights[at]!;
  squared[at]! += step * step;
  weights[at]! -= (learningRate * step) / Math.sqrt(squared[at]!);
}

/** Softmax regression where any listed topic is right: the loss is -log of the probability of the set. */
function train(examples: Example[], vocabulary: string[], topicCount: number): Float32Array {
  const columns = new Map(vocabulary.map((term, index) => [term, index]));
  const width = vocabulary.length + 1;
  const rows = new Float32Array(topicCount * width);
  const squared = new Float32Array(topicCount * width).fill(1e-8);
  const features = examples.map((example) => rankerFeatures(example.input, columns));
  const order = examples.map((_, index) => index);
  const next = random(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let index = order.length - 1; index > 0; index--) {
      const other = Math.floor(next() * (index + 1));
      [order[index], order[other]] = [order[other]!, order[index]!];
    }
    for (const at of order) {
      const example = examples[at]!;
      const feature = features[at]!;
      const probabilities = rankerProbabilities(rows, topicCount, width, feature);
      let inSet = 0;
      for (const topic of example.topics) inSet += probabilities[topic]!;
      for (let topic = 0; topic < topicCount; topic++) {
        const target = example.topics.includes(topic) ? probabilities[topic]! / inSet : 0;
        const gradient = (probabilities[topic]! - target) * example.weight;
        if (Math.abs(gradient) < 1e-6) continue;
        const row = topic * width;
        for (let k = 0; k < feature.ids.length; k++) adagradStep(rows, squared, row + feature.ids[k]!, gradient * feature.values[k]!);
        adagradStep(rows, squared, row + width - 1, gradient);
      }
    }
  }
  return rows;
}

/**
 * The field row: a logistic regression over the same features, accounts and phrasings (1) against
 * messages about something else (0), so that the ranker speaks only for messages about its subject.
 */
function trainField(inField: Example[], offTopic: RankerInput[], vocabulary: string[]): Float32Array {
  const columns = new Map(vocabulary.map((term, index) => [term, index]));
  const width = vocabulary.length + 1;
  const row = new Float32Array(width);
  const squared = new Float32Array(width).fill(1e-8);
  const totalInField = inField.reduce((sum, example) => sum + example.weight, 0);
  const offWeight = (offTopicShare * totalInField) / Math.max(1, offTopic.length);
  const examples = [
    ...inField.map((example) => ({ features: rankerFeatures(example.input, columns), label: 1, weight: example.weight })),
    ...offTopic.map((input) => ({ features: rankerFeatures(input, columns), label: 0, weight: offWeight })),
  ];
  const next = random(seed + 1);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let index = examples.length - 1; index > 0; index--) {
      const other = Math.floor(next() * (index + 1));
      [examples[index], examples[other]] = [examples[other]!, examples[index]!];
    }
    for (const example of examples) {
      const gradient = (fieldProbability(row, 0, width, example.features) - example.label) * example.weight;
      for (let k = 0; k < example.features.ids.length; k++)
        adagradStep(row, squared, example.features.ids[k]!, gradient * example.features.values[k]!);
      adagradStep(row, squared, width - 1, gradient);
    }
  }
  return row;
}

/** The topic rows with the field row after them. */
function withField(rows: Float32Array, field: Float32Array): Float32Array {
  const all = new Float32Array(rows.length + field.length);
  all.set(rows);
  all.set(field, rows.length);
  return all;
}

/** The terms found in at least `minimumDocuments` of the messages. */
function vocabularyOf(inputs: RankerInput[]): string[] {
  const documents = new Map<string, number>();
  for (const input of inputs) for (const term of input.keys()) documents.set(term, (documents.get(term) ?? 0) + 1);
  return [...documents]
    .filter(([, count]) => count >= minimumDocuments)
    .map(([term]) => term)
    .sort();
}

function header(
  pack: KnowledgePack,
  vocabulary: string[],
  blend: TopicRankerHeader['blend'],
  corpusSha256: string,
  figures: Record<string, unknown>,
): TopicRankerHeader {
  return {
    format: 1,
    createdBy: 'npm run train:topics (training/topics/train-topics.ts)',
    corpusSha256,
    topics: pack.topics.map((topic) => topic.id),
    vocabulary,
    blend,
    field: { from: fieldFrom },
    nearest,
    figures,
  };
}

/** One corpus file's cross-validated figure, so that adding a file can be judged on the files that were there before. */
interface FileFigures {
  passed: number;
  accounts: number;
}

/** Judged as `npm run eval` judges a blind round: an answer (not the emergency card, "did you mean" or "I don't know") with a listed topic. */
function passes(pack: KnowledgePack, accounts: Account[], misses?: Map<string, number>, byFile?: Map<string, FileFigures>): number {
  const engine = createEngine(pack);
  let passed = 0;
  for (const account of accounts) {
    const answer = engine.answer(account.q);
    const right = answer.kind === 'answer' && account.topics.includes(answer.topicId ?? '');
    if (byFile) {
      const figures = byFile.get(account.file) ?? { passed: 0, accounts: 0 };
      byFile.set(account.file, { passed: figures.passed + Number(right), accounts: figures.accounts + 1 });
    }
    if (right) passed++;
    else if (misses) {
      const kind = answer.kind === 'answer' ? 'another topic' : answer.kind;
      misses.set(kind, (misses.get(kind) ?? 0) + 1);
    }
  }
  return passed;
}

/** How many of the long off-topic messages a ranker leaves unanswered (anything but a topic answer). */
function declined(pack: KnowledgePack, messages: string[]): number {
  const engine = createEngine(pack);
  return messages.filter((message) => engine.answer(message).kind !== 'answer').length;
}

/** The accounts (not the phrasings) as the ranker's features over a vocabulary, for the nearest-accounts vote. */
function accountFeatures(examples: readonly Example[], vocabulary: string[]): LabelledFeatures[] {
  const columns = new Map(vocabulary.map((term, index) => [term, index]));
  return examples.map((example) => ({ ...rankerFeatures(example.input, columns), topics: example.topics }));
}

function main(): void {
  const { pack } = loadKnowledgePack(join(root, 'knowledge'), { topicRanker: false });
  const reader = createEngine(pack);
  const topicIndex = new Map(pack.topics.map((topic, index) => [topic.id, index]));
  const accounts = readLabelledAccounts();
  const unknown = accounts.flatMap((account) => account.topics.filter((id) => !topicIndex.has(id)).map((id) => `${account.file}: ${id}`));
  if (unknown.length > 0) throw new Error(`Unknown topic ids in the corpus: ${unknown.join(', ')}`);
  const corpusSha256 = topicCorpusSha256(accounts);
  const accountExamples = accounts.map((account) => ({
    input: reader.rankerInput(account.q),
    topics: account.topics.map((id) => topicIndex.get(id)!),
    weight: 1,
  }));
  const phrasingExamples = pack.topics.flatMap((topic, index) =>
    [topic.title, ...topic.phrasings, ...(topic.questions ?? []).flatMap((question) => question.asks)].map((text) => ({
      input: reader.rankerInput(text),
      topics: [index],
      weight: phrasingWeight,
    })),
  );
  console.log(`${accounts.length} labelled accounts, ${phrasingExamples.length} phrasings, ${pack.topics.length} topics`);

  const grid: TopicRankerHeader['blend'][] = blendWeights.flatMap((weight) =>
    answerFroms.flatMap((answerFrom) =>
      aloneUnanchoredFroms.map((aloneUnanchoredFrom) => ({ weight, answerFrom, ...(aloneUnanchoredFrom ? { aloneUnanchoredFrom } : {}) })),
    ),
  );
  const passedByBlend = grid.map(() => 0);
  const declinedByBlend = grid.map(() => 0);
  // Messages about something else: the field row learns from the first file and is checked on the second.
  const offTopicInputs = readOffTopicMessages('train-off-topic.jsonl').map((message) => reader.rankerInput(message));
  const offTopic = readOffTopicMessages('check-off-topic.jsonl');
  const foldOfAccount = accounts.map((account) => foldOf(account.q));
  let rankerTopRight = 0;
  const missesByBlend = grid.map(() => new Map<string, number>());
  const byFileByBlend = grid.map(() => new Map<string, FileFigures>());
  for (let fold = 0; fold < folds; fold++) {
    const trainAccounts = accountExamples.filter((_, index) => foldOfAccount[index] !== fold);
    const trainSet = [...phrasingExamples, ...trainAccounts];
    const held = accounts.filter((_, index) => foldOfAccount[index] === fold);
    const vocabulary = vocabularyOf([...trainSet.map((example) => example.input), ...offTopicInputs]);
    const rows = withField(train(trainSet, vocabulary, pack.topics.length), trainField(trainSet, offTopicInputs, vocabulary));
    const nearestAccounts = accountFeatures(trainAccounts, vocabulary);
    // The ranker's own top topic, without the field row's say: what it knows, not yet a reply.
    const { field: _field, ...withoutField } = header(pack, vocabulary, grid[0]!, corpusSha256, {});
    const topicsOnly = new TopicRanker({ header: withoutField, rows, accounts: nearestAccounts });
    accountExamples.forEach((example, index) => {
      if (foldOfAccount[index] !== fold) return;
      const probabilities = [...(topicsOnly.probabilities(example.input)?.values() ?? [])];
      let top = 0;
      for (let topic = 1; topic < probabilities.length; topic++) if (probabilities[topic]! > probabilities[top]!) top = topic;
      if (example.topics.includes(top)) rankerTopRight++;
    });
    grid.forEach((blend, index) => {
      const topicRanker = { header: header(pack, vocabulary, blend, corpusSha256, {}), rows, accounts: nearestAccounts };
      passedByBlend[index]! += passes({ ...pack, topicRanker }, held, missesByBlend[index], byFileByBlend[index]);
      declinedByBlend[index]! += declined({ ...pack, topicRanker }, offTopic);
    });
    console.log(`  fold ${fold + 1}/${folds}: ${held.length} accounts held out`);
  }
  const matcherAlone = passes(pack, accounts);
  // Every right decision counts alike: a long account answered with a listed topic, or a long message about
  // something else left "not my subject" (summed over the folds' rankers). A blend that answers too many
  // of the latter is not chosen however many accounts it answers; if every blend does, the most cautious is.
  const enoughDeclined = (index: number) => declinedByBlend[index]! >= offTopicDeclinedAtLeast * offTopic.length * folds;
  const rightDecisions = (index: number) => passedByBlend[index]! + declinedByBlend[index]!;
  let bestIndex = 0;
  grid.forEach((_, index) => {
    const better = enoughDeclined(bestIndex)
      ? enoughDeclined(index) && rightDecisions(index) > rightDecisions(bestIndex)
      : enoughDeclined(index) || declinedByBlend[index]! > declinedByBlend[bestIndex]!;
    if (better) bestIndex = index;
  });
  const blend = grid[bestIndex]!;
  const percent = (count: number) => `${count}/${accounts.length} = ${((100 * count) / accounts.length).toFixed(1)}%`;
  const figures = {
    accounts: accounts.length,
    phrasings: phrasingExamples.length,
    crossValidated: percent(passedByBlend[bestIndex]!),
    matcherAlone: percent(matcherAlone),
    rankerAloneTopTopic: percent(rankerTopRight),
    crossValidatedMisses: Object.fromEntries(missesByBlend[bestIndex]!),
    crossValidatedByFile: Object.fromEntries([...byFileByBlend[bestIndex]!].sort(([a], [b]) => a.localeCompare(b))),
    offTopicDeclined: `${declinedByBlend[bestIndex]}/${offTopic.length * folds}`,
    grid: grid.map((entry, index) => ({ ...entry, passed: passedByBlend[index], offTopicDeclined: declinedByBlend[index] })),
  };
  console.log('Misses, cross-validated:', figures.crossValidatedMisses);
  for (const [file, { passed, accounts: count }] of Object.entries(figures.crossValidatedByFile))
    console.log(`  ${file}: ${passed}/${count} cross-validated`);
  console.log(
    `Matcher alone: ${figures.matcherAlone}; with the ranker (cross-validated, blend ${blend.weight}, answers alone from ${blend.answerFrom}${blend.aloneUnanchoredFrom ? `, without a word in common from ${blend.aloneUnanchoredFrom}` : ''}): ${figures.crossValidated}`,
  );

  const everything = [...phrasingExamples, ...accountExamples];
  const vocabulary = vocabularyOf([...everything.map((example) => example.input), ...offTopicInputs]);
  const rows = withField(train(everything, vocabulary, pack.topics.length), trainField(everything, offTopicInputs, vocabulary));
  writeFileSync(
    join(defaultTopicRankerDirectory, topicRankerFileName),
    encodeTopicRanker(header(pack, vocabulary, blend, corpusSha256, figures), rows, accountFeatures(accountExamples, vocabulary)),
  );
  writeFileSync(
    join(defaultTopicRankerDirectory, 'topic-ranker.md'),
    `# The learned topic ranker: figures

Written by \`npm run train:topics\`; do not edit. Corpus SHA-256 \`${corpusSha256}\`.

- Trained on ${accounts.length} long accounts labelled with the topics a safeguarding lead would accept (training/topics/corpus/ and the blind rounds already scored, eval/blind/), and ${phrasingExamples.length} of the pack's own phrasings.
- ${vocabulary.length} terms (the words of the sentences that ask also as asked terms); softmax regression (${epochs} epochs, Adagrad, seed ${seed}), with the ${nearest.count} closest labelled accounts voting for their topics (${nearest.share} of the say).
- It speaks only when its field row (the accounts against ${offTopicInputs.length} messages about something else, training/topics/off-topic/train-off-topic.jsonl) gives the message a probability of ${fieldFrom} or more of being about its subject.
- Combined with the matcher: its probability times ${blend.weight} is added to the matcher's score; it answers on its own from a probability of ${blend.answerFrom}${blend.aloneUnanchoredFrom ? ` when the account shares a telling word with the topic, and from ${blend.aloneUnanchoredFrom} without one` : ''}.

| Long accounts answered with a listed topic | |
| --- | --- |
| Matcher alone, on the whole corpus | ${figures.matcherAlone} |
| The ranker's top topic alone, five-fold cross-validated (not a reply: no "is this about the field at all" check, no emergency card) | ${figures.rankerAloneTopTopic} |
| Matcher with the ranker, five-fold cross-validated (each account scored by a ranker not trained on it) | ${figures.crossValidated} |
| Long messages about something else, never trained on, left "not my subject" (training/topics/off-topic/check-off-topic.jsonl, by each fold's ranker) | ${figures.offTopicDeclined} |

These are figures on the corpus it learns from (cross-validated), not blind figures: those are in
eval/blind/README.md, scored on rounds the project had not seen.
`,
  );
  console.log(`Wrote models/${topicRankerFileName} and models/topic-ranker.md`);
}

main();
