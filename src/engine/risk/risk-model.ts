import type { RiskModelWeights } from '../../knowledge/risk-model-file.js';
import { messageFeatures, readingWindows, type SparseFeatures, wordFeatures } from './risk-features.js';

export interface RiskScore {
  /** How likely the message is to describe a child at immediate risk now, 0 to 1. */
  probability: number;
  /** The words of the window that weighed most towards danger, most first (at most three). */
  weighedMost: string[];
}

/**
 * The learned immediate-risk model (trained by `npm run train:risk`). It reads the message in
 * overlapping windows; each window is scored on its own words (hashed words, word pairs, character
 * n-grams, and what its words mean through distilled word vectors), the most worrying window wins,
 * and the message as a whole adds its context ("last year", "she is safe now", "what does the law say").
 */
export class RiskModel {
  private readonly windowWeights: SparseWeights;
  private readonly messageWeights: SparseWeights;
  private readonly rowOfWord = new Map<string, number>();
  private readonly hidden: number;
  private readonly rowWidth: number;

  constructor(private readonly weights: RiskModelWeights) {
    const { header } = weights;
    this.hidden = header.hidden;
    this.rowWidth = header.layout.wordRowWidth;
    if (this.rowWidth !== 2 * this.hidden + 2) throw new Error('risk model: word rows do not match the hidden layer; retrain it.');
    this.windowWeights = new SparseWeights(weights.windowFeatureIds, weights.windowFeatureWeights);
    this.messageWeights = new SparseWeights(weights.messageFeatureIds, weights.messageFeatureWeights);
    header.vocabulary.split(' ').forEach((word, row) => {
      if (word) this.rowOfWord.set(word, row);
    });
  }

  get thresholds(): { emergency: number; possible: number } {
    return this.weights.header.thresholds;
  }

  score(tokens: readonly string[]): RiskScore {
    const count = tokens.length;
    if (count === 0) return { probability: 0, weighedMost: [] };
    const { hidden, rowWidth } = this;

    // Each word's own weight, wherever its window falls.
    const wordWeight = new Float64Array(count);
    const scratch: SparseFeatures = { ids: [], values: [] };
    for (let index = 0; index < count; index++) {
      scratch.ids.length = 0;
      scratch.values.length = 0;
      wordFeatures(tokens, index, scratch);
      wordWeight[index] = this.windowWeights.dot(scratch);
    }

    // Running sums of the word rows, so any window's mean costs the same however long the message.
    const sums = new Float64Array((count + 1) * rowWidth);
    const withVector = new Int32Array(count + 1);
    const rows = new Int32Array(count).fill(-1);
    for (let index = 0; index < count; index++) {
      const base = index * rowWidth;
      sums.copyWithin(base + rowWidth, base, base + rowWidth);
      withVector[index + 1] = withVector[index]!;
      const row = this.rowOfWord.get(tokens[index]!);
      if (row === undefined) continue;
      rows[index] = row;
      withVector[index + 1]!++;
      const scale = this.weights.wordRowScales[row]!;
      const from = row * rowWidth;
      for (let k = 0; k < rowWidth; k++) sums[base + rowWidth + k]! += this.weights.wordRows[from + k]! * scale;
    }

    const messageMean = meanOf(sums, withVector, 0, count, rowWidth);
    let context = this.weights.outputBias + this.messageWeights.dot(messageFeatures(tokens));
    if (messageMean) context += messageMean[2 * hidden + 1]!;

    let best = Number.NEGATIVE_INFINITY;
    let bestWindow: [number, number] = [0, count];
    let bestActive: Float64Array | undefined;
    const { windowWords, windowStride } = this.weights.header;
    for (const [start, end] of readingWindows(count, windowWords, windowStride)) {
      let score = 0;
      for (let index = start; index < end; index++) score += wordWeight[index]!;
      const active = new Float64Array(hidden);
      const windowMean = meanOf(sums, withVector, start, end, rowWidth);
      for (let unit = 0; unit < hidden; unit++) {
        const input = (windowMean?.[unit] ?? 0) + (messageMean?.[hidden + unit] ?? 0) + this.weights.hiddenBias[unit]!;
        if (input > 0) {
          active[unit] = 1;
          score += this.weights.hiddenOut[unit]! * input;
        }
      }
      if (windowMean) score += windowMean[2 * hidden]!;
      if (score > best) {
        best = score;
        bestWindow = [start, end];
        bestActive = active;
      }
    }

    const probability = 1 / (1 + Math.exp(-(best + context)));
    return { probability, weighedMost: this.weighedMost(tokens, bestWindow, wordWeight, rows, bestActive) };
  }

  /** Each word's share of the winning window's score; the largest positive shares, as words. */
  private weighedMost(
    tokens: readonly string[],
    [start, end]: [number, number],
    wordWeight: Float64Array,
    rows: Int32Array,
    active: Float64Array | undefined,
  ): string[] {
    const { hidden, rowWidth } = this;
    let vectors = 0;
    for (let index = start; index < end; index++) if (rows[index]! >= 0) vectors++;
    const shares: Array<{ word: string; share: number }> = [];
    for (let index = start; index < end; index++) {
      let share = wordWeight[index]!;
      const row = rows[index]!;
      if (row >= 0 && vectors > 0) {
        const scale = this.weights.wordRowScales[row]! / vectors;
        const from = row * rowWidth;
        let meaning = this.weights.wordRows[from + 2 * hidden]!;
        for (let unit = 0; unit < hidden; unit++) {
          if (active?.[unit]) meaning += this.weights.hiddenOut[unit]! * this.weights.wordRows[from + unit]!;
        }
        share += meaning * scale;
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

function meanOf(sums: Float64Array, withVector: Int32Array, start: number, end: number, width: number): Float64Array | undefined {
  const words = withVector[end]! - withVector[start]!;
  if (words === 0) return undefined;
  const mean = new Float64Array(width);
  for (let k = 0; k < width; k++) mean[k] = (sums[end * width + k]! - sums[start * width + k]!) / words;
  return mean;
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

  private get(id: number): number {
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
