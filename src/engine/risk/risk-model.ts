import type { RiskMemberWeights, RiskModelHeader, RiskModelWeights } from '../../knowledge/risk-model-file.js';
import {
  messageFeatureScale,
  messagePairFeature,
  messageWordFeature,
  ownWordFeatures,
  pairFeature,
  readingWindows,
  type SparseFeatures,
} from './risk-features.js';

interface CachedWord {
  window: number;
  message: number;
  /** Row of the word's distilled vector, or -1. */
  row: number;
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

  constructor(private readonly weights: RiskModelWeights) {
    const { header } = weights;
    if (header.layout.wordRowWidth !== 2 * header.hidden + 2)
      throw new Error('risk model: word rows do not match the hidden layer; retrain it.');
    const rowOfWord = new Map<string, number>();
    header.vocabulary.split(' ').forEach((word, row) => {
      if (word) rowOfWord.set(word, row);
    });
    this.members = weights.members.map((member) => new RiskMember(header, member, rowOfWord));
  }

  get thresholds(): { emergency: number; possible: number } {
    return this.weights.header.thresholds;
  }

  score(tokens: readonly string[]): RiskScore {
    if (tokens.length === 0) return { probability: 0, weighedMost: [] };
    let total = 0;
    let mostWorried: MemberScore | undefined;
    for (const member of this.members) {
      const scored = member.score(tokens);
      total += scored.logit;
      if (!mostWorried || scored.logit > mostWorried.logit) mostWorried = scored;
    }
    const logit = total / this.members.length;
    // The words come from the most worried member: the one whose reading most explains the alarm.
    return { probability: 1 / (1 + Math.exp(-logit)), weighedMost: mostWorried?.weighedMost ?? [] };
  }
}

interface MemberScore {
  logit: number;
  weighedMost: string[];
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
  private readonly hidden: number;
  private readonly rowWidth: number;

  constructor(
    private readonly header: RiskModelHeader,
    private readonly weights: RiskMemberWeights,
    private readonly rowOfWord: ReadonlyMap<string, number>,
  ) {
    this.hidden = header.hidden;
    this.rowWidth = header.layout.wordRowWidth;
    this.windowWeights = new SparseWeights(weights.windowFeatureIds, weights.windowFeatureWeights);
    this.messageWeights = new SparseWeights(weights.messageFeatureIds, weights.messageFeatureWeights);
  }

  score(tokens: readonly string[]): MemberScore {
    const count = tokens.length;
    const { hidden, rowWidth } = this;
    const { wordRows, wordRowScales, hiddenBias, hiddenOut } = this.weights;

    // Each word's own weight wherever its window falls, and running sums of it and of the word rows,
    // so that any window costs the same however long the message is.
    const wordWeight = new Float64Array(count);
    const weightSums = new Float64Array(count + 1);
    const sums = new Float64Array((count + 1) * rowWidth);
    const withVector = new Int32Array(count + 1);
    const rows = new Int32Array(count).fill(-1);
    let messageScore = 0;
    for (let index = 0; index < count; index++) {
      const word = tokens[index]!;
      const next = tokens[index + 1];
      const cached = this.cachedWord(word);
      wordWeight[index] = cached.window + (next === undefined ? 0 : this.windowWeights.get(pairFeature(word, next)));
      weightSums[index + 1] = weightSums[index]! + wordWeight[index]!;
      messageScore += cached.message + (next === undefined ? 0 : this.messageWeights.get(messagePairFeature(word, next)));

      const base = index * rowWidth;
      sums.copyWithin(base + rowWidth, base, base + rowWidth);
      withVector[index + 1] = withVector[index]!;
      if (cached.row < 0) continue;
      rows[index] = cached.row;
      withVector[index + 1]!++;
      const scale = wordRowScales[cached.row]!;
      const from = cached.row * rowWidth;
      for (let k = 0; k < rowWidth; k++) sums[base + rowWidth + k]! += wordRows[from + k]! * scale;
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
    const { windowWords, windowStride } = this.header;
    for (const [start, end] of readingWindows(count, windowWords, windowStride)) {
      let score = weightSums[end]! - weightSums[start]!;
      const words = withVector[end]! - withVector[start]!;
      for (let unit = 0; unit < hidden; unit++) {
        const input = (words > 0 ? meanAt(start, end, unit, words) : 0) + messageHidden[unit]!;
        if (input > 0) score += hiddenOut[unit]! * input;
      }
      if (words > 0) score += meanAt(start, end, 2 * hidden, words);
      if (score > best) {
        best = score;
        bestWindow = [start, end];
      }
    }

    return { logit: best + context, weighedMost: this.weighedMost(tokens, bestWindow, wordWeight, rows, sums, withVector, messageHidden) };
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
    cached = {
      window: this.windowWeights.dot(features),
      message: this.messageWeights.get(messageWordFeature(word)),
      row: this.rowOfWord.get(word) ?? -1,
    };
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

/** Hashed feature weights in an open-addressing table: compact, and a lookup is a probe or two. */
class SparseWeights {
  private readonly keys: Int32Array;
  private readonly values: Float32Array;
  private readonly mask: number;

  constructor(ids: Uint32Array, weights: Float32Array) {
    let capacity = 1;
    while (capacity < ids.length * 2) capacity <<= 1;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Float32Array(capacity);
    for (let index = 0; index < ids.length; index++) {
      let slot = this.slotFor(ids[index]!);
      while (this.keys[slot] !== -1) slot = (slot + 1) & this.mask;
      this.keys[slot] = ids[index]!;
      this.values[slot] = weights[index]!;
    }
  }

  dot(features: SparseFeatures): number {
    let total = 0;
    for (let index = 0; index < features.ids.length; index++) total += this.get(features.ids[index]!) * features.values[index]!;
    return total;
  }

  get(id: number): number {
    let slot = this.slotFor(id);
    for (;;) {
      const key = this.keys[slot]!;
      if (key === id) return this.values[slot]!;
      if (key === -1) return 0;
      slot = (slot + 1) & this.mask;
    }
  }

  private slotFor(id: number): number {
    return (Math.imul(id, 0x9e3779b1) >>> 0) & this.mask;
  }
}
