import type { AccountSentence } from './account-reader.js';
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
  /** How much its probability adds to the matcher's score when the two are combined, and from what probability it answers on its own. */
  blend: { weight: number; answerFrom: number };
  /**
   * The field row, after the topic rows: whether a message is about the ranker's subject at all
   * (learned from the accounts against long messages about something else), and from what
   * probability the ranker may speak. Without it the ranker speaks for every message.
   */
  field?: { from: number };
  figures: Record<string, unknown>;
}

/** A message as the ranker reads it: each term and how much it counts. */
export type RankerInput = Map<string, number>;

/** The terms of an account's sentences, each counted once per sentence at that sentence's weight. */
export function rankerInput(sentences: readonly AccountSentence[], analyser: TermAnalyser): RankerInput {
  const input: RankerInput = new Map();
  for (const sentence of sentences) {
    const { unigrams, bigrams } = analyser.terms(sentence.tokens);
    for (const term of new Set([...unigrams, ...bigrams])) input.set(term, (input.get(term) ?? 0) + sentence.weight);
  }
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

  constructor(private readonly weights: TopicRankerWeights) {
    this.columns = new Map(weights.header.vocabulary.map((term, index) => [term, index]));
    this.width = weights.header.vocabulary.length + 1;
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
    return new Map(topics.map((id, index) => [id, probabilities[index]!]));
  }
}
