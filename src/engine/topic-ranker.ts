import type { AccountSentence } from './account-reader.js';
import { type LabelledFeatures, NearestAccounts, type NearestAccountsSettings } from './nearest-accounts.js';
import type { TermAnalyser } from './term-analyser.js';

/**
 * The learned topic ranker: which topics a safeguarding lead would accept as the answer to a long
 * account, learned from accounts labelled that way (training/topics/). It reads the same terms as
 * the topic matcher (synonyms rewritten, stemmed, word pairs), each counted by how much its sentence
 * may speak for the topic (the question asked more, an opening that only names a role less), and
 * gives a probability per topic. It ranks beside the matcher, never alone: the matcher still says
 * whether the message is about the field at all and which of the topic's own phrasings came closest.
 */
export interface TopicRankerWeights {
  header: TopicRankerHeader;
  /** One row per topic: a weight per vocabulary term, then the bias; then, when the header has `field`, the field row. */
  rows: Float32Array;
  /** The labelled accounts it learned from, as features, when the header has `nearest`. */
  accounts?: LabelledFeatures[];
}

export interface TopicRankerHeader {
  format: 1;
  createdBy: string;
  /** SHA-256 over the labelled corpus it was trained on. */
  corpusSha256: string;
  /** The topic ids, in row order. */
  topics: string[];
  /** The terms it reads, in column order. */
  vocabulary: string[];
  /**
   * How much its probability adds to the matcher's score when the two are combined, and from what
   * probability it answers on its own (when the account shares a telling word with the topic, or,
   * from `aloneUnanchoredFrom` when set, even without one: the field row has already said the
   * message is about the subject).
   */
  blend: { weight: number; answerFrom: number; aloneUnanchoredFrom?: number };
  /**
   * The field row, after the topic rows: whether a message is about the ranker's subject at all
   * (learned from the accounts against long messages about something else), and from what
   * probability the ranker may speak. Without it the ranker speaks for every message.
   */
  field?: { from: number };
  /**
   * The closest labelled accounts vote too: the topic probabilities are the softmax's, with this
   * `share` given to the accounts' votes instead. Without it the softmax speaks alone.
   */
  nearest?: NearestAccountsSettings & { share: number };
  figures: Record<string, unknown>;
}

/** A message as the ranker reads it: each term and how much it counts. */
export type RankerInput = Map<string, number>;

/**
 * A word read where the message asks its question is also a term of its own, with this prefix: an
 * account's story names many harms, its question says which part of the procedure is wanted
 * ("is there a simple way of explaining the different kinds of online risk?").
 */
const askedTermPrefix = '?';
/** Where no sentence ends with a question mark (dictation, "what do i do now" without one), the question is usually last. */
const askingTailSentences = 2;

/**
 * The terms of an account's sentences, each counted once per sentence at that sentence's weight;
 * and the words of the sentences that ask (ending with "?", or the last two) as asked terms.
 */
export function rankerInput(sentences: readonly AccountSentence[], analyser: TermAnalyser): RankerInput {
  const input: RankerInput = new Map();
  const add = (term: string, count: number) => input.set(term, (input.get(term) ?? 0) + count);
  const tailFrom = sentences.length - askingTailSentences;
  sentences.forEach((sentence, index) => {
    const { unigrams, bigrams } = analyser.terms(sentence.tokens);
    for (const term of new Set([...unigrams, ...bigrams])) add(term, sentence.weight);
    if (sentence.asks || index >= tailFrom) for (const word of unigrams) add(`${askedTermPrefix}${word}`, 1);
  });
  return input;
}

/** The input as model features: known terms only, log-scaled and of unit length, so a long account and a short one weigh alike. */
export function rankerFeatures(input: RankerInput, columns: ReadonlyMap<string, number>): { ids: number[]; values: number[] } {
  const ids: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [term, count] of input) {
    const column = columns.get(term);
    if (column === undefined || count <= 0) continue;
    const value = Math.log1p(count);
    ids.push(column);
    values.push(value);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let index = 0; index < values.length; index++) values[index]! *= scale;
  return { ids, values };
}

/** One row's weights times the features, plus its bias. */
export function rowScore(rows: Float32Array, rowIndex: number, width: number, features: { ids: number[]; values: number[] }): number {
  const row = rowIndex * width;
  let score = rows[row + width - 1]!;
  for (let index = 0; index < features.ids.length; index++) score += rows[row + features.ids[index]!]! * features.values[index]!;
  return score;
}

/** Probabilities (softmax over the rows) for some features. */
export function rankerProbabilities(
  rows: Float32Array,
  topicCount: number,
  width: number,
  features: { ids: number[]; values: number[] },
): Float64Array {
  const scores = new Float64Array(topicCount);
  let highest = -Infinity;
  for (let topic = 0; topic < topicCount; topic++) {
    const score = rowScore(rows, topic, width, features);
    scores[topic] = score;
    if (score > highest) highest = score;
  }
  let total = 0;
  for (let topic = 0; topic < topicCount; topic++) {
    scores[topic] = Math.exp(scores[topic]! - highest);
    total += scores[topic]!;
  }
  for (let topic = 0; topic < topicCount; topic++) scores[topic]! /= total;
  return scores;
}

/** The field row (row `topicCount`) as a probability: a logistic over the same features. */
export function fieldProbability(
  rows: Float32Array,
  topicCount: number,
  width: number,
  features: { ids: number[]; values: number[] },
): number {
  return 1 / (1 + Math.exp(-rowScore(rows, topicCount, width, features)));
}

export class TopicRanker {
  private readonly columns: Map<string, number>;
  private readonly width: number;
  private readonly nearest: NearestAccounts | undefined;

  constructor(private readonly weights: TopicRankerWeights) {
    const { vocabulary, topics, nearest } = weights.header;
    this.columns = new Map(vocabulary.map((term, index) => [term, index]));
    this.width = vocabulary.length + 1;
    this.nearest =
      nearest && weights.accounts ? new NearestAccounts(weights.accounts, vocabulary.length, topics.length, nearest) : undefined;
  }

  get blend(): TopicRankerHeader['blend'] {
    return this.weights.header.blend;
  }

  /**
   * Each topic id with its probability, or undefined when the field row says the message is not
   * about the ranker's subject (then its probabilities must not count). The features are read once for both.
   */
  probabilities(input: RankerInput): Map<string, number> | undefined {
    const { topics, field } = this.weights.header;
    const features = rankerFeatures(input, this.columns);
    if (field && fieldProbability(this.weights.rows, topics.length, this.width, features) < field.from) return undefined;
    const probabilities = rankerProbabilities(this.weights.rows, topics.length, this.width, features);
    const share = this.weights.header.nearest?.share ?? 0;
    if (this.nearest && share > 0) {
      const votes = this.nearest.votes(features);
      for (let topic = 0; topic < topics.length; topic++)
        probabilities[topic] = (1 - share) * probabilities[topic]! + share * votes[topic]!;
    }
    return new Map(topics.map((id, index) => [id, probabilities[index]!]));
  }
}
