import type { RiskMemberWeights, RiskModelHeader, RiskModelWeights } from '../../knowledge/risk-model-file.js';
import {
  featureHashBits,
  forEachReadingWindow,
  messageFeatureScale,
  messagePairFeature,
  messageWordFeature,
  ownWordFeatures,
  pairFeature,
  type SparseFeatures,
} from './risk-features.js';

/** A word's own weights in one member: in the window (the word and its character n-grams) and in the message. */
interface CachedWord {
  window: number;
  message: number;
}

const wordCacheLimit = 50_000;

export interface RiskScore {
  /** How likely the message is to describe a child at immediate risk now, 0 to 1. */
  probability: number;
  /** The words of the window that weighed most towards danger, most first (at most three). */
  weighedMost: string[];
}

/**
 * The learned immediate-risk model (trained by `npm run train:risk`): a few members trained alike
 * from different seeds, whose scores are averaged, so that no one training run's quirks decide.
 */
export class RiskModel {
  private readonly members: RiskMember[];
  private readonly rowOfWord = new Map<string, number>();

  constructor(private readonly weights: RiskModelWeights) {
    const { header } = weights;
    if (header.layout.wordRowWidth !== 2 * header.hidden + 2)
      throw new Error('risk model: word rows do not match the hidden layer; retrain it.');
    header.vocabulary.split(' ').forEach((word, row) => {
      if (word) this.rowOfWord.set(word, row);
    });
    this.members = weights.members.map((member, index) => new RiskMember(header, member, header.layout.members[index]!));
  }

  get thresholds(): { emergency: number; possible: number } {
    return this.weights.header.thresholds;
  }

  score(tokens: readonly string[]): RiskScore {
    if (tokens.length === 0) return { probability: 0, weighedMost: [] };
    const reading = this.read(tokens);
    let total = 0;
    let mostWorried: MemberScore | undefined;
    for (const member of this.members) {
      const scored = member.score(tokens, reading);
      total += scored.logit;
      if (!mostWorried || scored.logit > mostWorried.logit) mostWorried = scored;
    }
    const logit = total / this.members.length;
    // The words come from the most worried member: the one whose reading most explains the alarm.
    return { probability: 1 / (1 + Math.exp(-logit)), weighedMost: mostWorried?.explain() ?? [] };
  }

  /** What every member needs of the message and is the same for all: word pairs hashed, vector rows, windows. */
  private read(tokens: readonly string[]): Reading {
    const count = tokens.length;
    const pairs = new Int32Array(count).fill(-1);
    const messagePairs = new Int32Array(count).fill(-1);
    const rows = new Int32Array(count);
    for (let index = 0; index < count; index++) {
      const word = tokens[index]!;
      const next = tokens[index + 1];
      if (next !== undefined) {
        pairs[index] = pairFeature(word, next);
        messagePairs[index] = messagePairFeature(word, next);
      }
      rows[index] = this.rowOfWord.get(word) ?? -1;
    }
    return { pairs, messagePairs, rows };
  }
}

interface Reading {
  /** Hashed feature of each word and the next (-1 for the last word), for the window and the message. */
  pairs: Int32Array;
  messagePairs: Int32Array;
  /** Row of each word's distilled vector, or -1. */
  rows: Int32Array;
}

interface MemberScore {
  logit: number;
  /** The words that weighed most in the winning window; worked out only when asked. */
  explain(): string[];
}

/**
 * One member. It reads the message in overlapping windows; each window is scored on its own words
 * (hashed words, word pairs, character n-grams, and what its words mean through distilled word
 * vectors), the most worrying window wins, and the message as a whole adds its context ("last
 * year", "she is safe now", "what does the law say").
 */
class RiskMember {
  private readonly windowWeights: SparseWeights;
  private readonly messageWeights: SparseWeights;
  private readonly wordCache = new Map<string, CachedWord>();
  private scratch = {
    wordWeight: new Float64Array(0),
    weightSums: new Float64Array(1),
    sums: new Float64Array(0),
    withVector: new Int32Array(1),
  };
  private readonly hidden: number;
  private readonly rowWidth: number;

  constructor(
    header: RiskModelHeader,
    private readonly weights: RiskMemberWeights,
    /** This member's reading window: how many words, and how far it moves on. */
    private readonly window: { windowWords: number; windowStride: number },
  ) {
    this.hidden = header.hidden;
    this.rowWidth = header.layout.wordRowWidth;
    this.windowWeights = new SparseWeights(weights.windowFeatureIds, weights.windowFeatureWeights);
    this.messageWeights = new SparseWeights(weights.messageFeatureIds, weights.messageFeatureWeights);
  }

  score(tokens: readonly string[], reading: Reading): MemberScore {
    const count = tokens.length;
    const { pairs, messagePairs, rows } = reading;
    const { hidden, rowWidth } = this;
    const { wordRows, wordRowScales, hiddenBias, hiddenOut } = this.weights;

    // Each word's own weight wherever its window falls, and running sums of it and of the word rows,
    // so that any window costs the same however long the message is.
    const { wordWeight, weightSums, sums, withVector } = this.scratchFor(count);
    let messageScore = 0;
    for (let index = 0; index < count; index++) {
      const cached = this.cachedWord(tokens[index]!);
      const pair = pairs[index]!;
      wordWeight[index] = cached.window + (pair < 0 ? 0 : this.windowWeights.get(pair));
      weightSums[index + 1] = weightSums[index]! + wordWeight[index]!;
      const messagePair = messagePairs[index]!;
      messageScore += cached.message + (messagePair < 0 ? 0 : this.messageWeights.get(messagePair));

      const base = index * rowWidth;
      const row = rows[index]!;
      withVector[index + 1] = withVector[index]! + (row < 0 ? 0 : 1);
      if (row < 0) {
        for (let k = 0; k < rowWidth; k++) sums[base + rowWidth + k] = sums[base + k]!;
        continue;
      }
      const scale = wordRowScales[row]!;
      const from = row * rowWidth;
      for (let k = 0; k < rowWidth; k++) sums[base + rowWidth + k] = sums[base + k]! + wordRows[from + k]! * scale;
    }

    const messageWords = withVector[count]!;
    const meanAt = (start: number, end: number, k: number, words: number) =>
      (sums[end * rowWidth + k]! - sums[start * rowWidth + k]!) / words;
    let context = this.weights.outputBias + messageScore * messageFeatureScale(count);
    if (messageWords > 0) context += meanAt(0, count, 2 * hidden + 1, messageWords);
    const messageHidden = new Float64Array(hidden);
    for (let unit = 0; unit < hidden; unit++) {
      messageHidden[unit] = hiddenBias[unit]! + (messageWords > 0 ? meanAt(0, count, hidden + unit, messageWords) : 0);
    }

    let best = Number.NEGATIVE_INFINITY;
    let bestWindow: [number, number] = [0, count];
    const scoreWindow = (start: number, end: number) => {
      let score = weightSums[end]! - weightSums[start]!;
      const words = withVector[end]! - withVector[start]!;
      if (words > 0) {
        const from = start * rowWidth;
        const to = end * rowWidth;
        for (let unit = 0; unit < hidden; unit++) {
          const input = (sums[to + unit]! - sums[from + unit]!) / words + messageHidden[unit]!;
          if (input > 0) score += hiddenOut[unit]! * input;
        }
        score += (sums[to + 2 * hidden]! - sums[from + 2 * hidden]!) / words;
      } else {
        for (let unit = 0; unit < hidden; unit++) if (messageHidden[unit]! > 0) score += hiddenOut[unit]! * messageHidden[unit]!;
      }
      if (score > best) {
        best = score;
        bestWindow = [start, end];
      }
    };
    forEachReadingWindow(count, this.window.windowWords, this.window.windowStride, scoreWindow);

    return {
      logit: best + context,
      explain: () => this.weighedMost(tokens, bestWindow, wordWeight, rows, sums, withVector, messageHidden),
    };
  }

  /**
   * Working arrays, kept between messages: allocating them afresh for every long message made the
   * garbage collector the slowest part. Valid until the next call (the model explains its winning
   * member before scoring another message).
   */
  private scratchFor(count: number) {
    if (this.scratch.wordWeight.length < count) {
      const size = Math.max(count, 2 * this.scratch.wordWeight.length);
      this.scratch = {
        wordWeight: new Float64Array(size),
        weightSums: new Float64Array(size + 1),
        sums: new Float64Array((size + 1) * this.rowWidth),
        withVector: new Int32Array(size + 1),
      };
    }
    return this.scratch;
  }

  /**
   * What a word contributes wherever it stands (its own and its character n-grams' weights, in the
   * window and in the message, and its vector row), remembered: most words recur from message to message.
   */
  private cachedWord(word: string): CachedWord {
    let cached = this.wordCache.get(word);
    if (cached) return cached;
    const features: SparseFeatures = { ids: [], values: [] };
    ownWordFeatures(word, features);
    cached = { window: this.windowWeights.dot(features), message: this.messageWeights.get(messageWordFeature(word)) };
    // A bound, so that a stream of made-up words cannot grow it without end.
    if (this.wordCache.size >= wordCacheLimit) this.wordCache.clear();
    this.wordCache.set(word, cached);
    return cached;
  }

  /** Each word's share of the winning window's score; the largest positive shares, as words. */
  private weighedMost(
    tokens: readonly string[],
    [start, end]: [number, number],
    wordWeight: Float64Array,
    rows: Int32Array,
    sums: Float64Array,
    withVector: Int32Array,
    messageHidden: Float64Array,
  ): string[] {
    const { hidden, rowWidth } = this;
    const { wordRows, wordRowScales, hiddenOut } = this.weights;
    const vectors = withVector[end]! - withVector[start]!;
    const active = new Uint8Array(hidden);
    for (let unit = 0; unit < hidden; unit++) {
      const windowMean = vectors > 0 ? (sums[end * rowWidth + unit]! - sums[start * rowWidth + unit]!) / vectors : 0;
      active[unit] = windowMean + messageHidden[unit]! > 0 ? 1 : 0;
    }
    const shares: Array<{ word: string; share: number }> = [];
    for (let index = start; index < end; index++) {
      let share = wordWeight[index]!;
      const row = rows[index]!;
      if (row >= 0) {
        const from = row * rowWidth;
        let meaning = wordRows[from + 2 * hidden]!;
        for (let unit = 0; unit < hidden; unit++) if (active[unit]) meaning += hiddenOut[unit]! * wordRows[from + unit]!;
        share += (meaning * wordRowScales[row]!) / vectors;
      }
      shares.push({ word: tokens[index]!, share });
    }
    const words: string[] = [];
    for (const { word, share } of shares.sort((a, b) => b.share - a.share)) {
      if (share <= 0 || words.length === 3) break;
      if (!words.includes(word) && /[a-z]/.test(word)) words.push(word);
    }
    return words;
  }
}

/**
 * Hashed feature weights, as the trainer writes them: ids in ascending order with their weights.
 * A lookup jumps to the ids sharing its top bits (an index built in one pass at start-up) and
 * searches the few there, so loading costs next to nothing and a lookup a handful of steps.
 */
class SparseWeights {
  private static readonly bucketBits = 12;
  private readonly bucketStarts: Uint32Array;
  private readonly shift: number;

  constructor(
    private readonly ids: Uint32Array,
    private readonly weights: Float32Array,
  ) {
    this.shift = featureHashBits - SparseWeights.bucketBits;
    const buckets = 1 << SparseWeights.bucketBits;
    this.bucketStarts = new Uint32Array(buckets + 1);
    let previous = -1;
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index]!;
      if (id <= previous || id >>> featureHashBits !== 0) throw new Error('risk model: feature ids out of order; retrain it.');
      previous = id;
      this.bucketStarts[(id >>> this.shift) + 1]!++;
    }
    for (let bucket = 0; bucket < buckets; bucket++) this.bucketStarts[bucket + 1]! += this.bucketStarts[bucket]!;
  }

  dot(features: SparseFeatures): number {
    let total = 0;
    for (let index = 0; index < features.ids.length; index++) total += this.get(features.ids[index]!) * features.values[index]!;
    return total;
  }

  get(id: number): number {
    const bucket = id >>> this.shift;
    let low = this.bucketStarts[bucket]!;
    let high = this.bucketStarts[bucket + 1]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const found = this.ids[middle]!;
      if (found === id) return this.weights[middle]!;
      if (found < id) low = middle + 1;
      else high = middle;
    }
    return 0;
  }
}
