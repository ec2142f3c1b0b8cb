import {
  featureHashBits,
  messageFeatures,
  readingWindows,
  type SparseFeatures,
  wordFeatures,
} from '../../src/engine/risk/risk-features.js';
import type { RiskMemberWeights, RiskModelHeader, RiskModelWeights } from '../../src/knowledge/risk-model-file.js';
import type { WordVectors } from './word-vectors.js';

/**
 * Trains the immediate-risk model that src/engine/risk/risk-model.ts runs: the same windows, the
 * same hashed features, the same arithmetic, here with gradients. A message's score is its most
 * worrying window plus the message's context; only the winning window learns from each message
 * (multiple-instance learning), so a danger in one sentence is not diluted by the rest.
 */

export interface TrainingSettings {
  seed: number;
  epochs: number;
  hidden: number;
  learningRate: number;
  denseLearningRate: number;
  l2: number;
  /** Share of words left out of each training step, so no single word can carry a decision. */
  dropout: number;
  windowWords: number;
  windowStride: number;
}

/** The settings the shipped model is trained with (chosen by cross-validation on train and dev, see tune-risk.ts). */
export const defaultTrainingSettings: TrainingSettings = {
  seed: 20261125,
  epochs: 20,
  hidden: 16,
  learningRate: 0.08,
  denseLearningRate: 0.02,
  l2: 1e-5,
  dropout: 0.3,
  windowWords: 14,
  windowStride: 3,
};

export interface TrainingExample {
  tokens: readonly string[];
  /** 1 for an emergency. */
  label: 0 | 1;
}

interface Prepared {
  label: 0 | 1;
  /** Per word: its hashed features (see wordFeatures). */
  wordFeatures: SparseFeatures[];
  message: SparseFeatures;
  /** Per word: its unit vector, or undefined. */
  vectors: Array<Float32Array | undefined>;
  windows: Array<[number, number]>;
}

const featureCount = 1 << featureHashBits;

export class RiskTrainer {
  readonly windowWeights = new Float32Array(featureCount);
  readonly messageWeights = new Float32Array(featureCount);
  private readonly windowSquares = new Float32Array(featureCount);
  private readonly messageSquares = new Float32Array(featureCount);
  readonly dimensions: number;
  readonly hidden: number;
  /** Hidden units reading the window's mean vector (hidden × dimensions), and the message's. */
  readonly windowToHidden: Float64Array;
  readonly messageToHidden: Float64Array;
  readonly hiddenBias: Float64Array;
  readonly hiddenOut: Float64Array;
  /** Linear terms on the window's and the message's mean vectors. */
  readonly windowLinear: Float64Array;
  readonly messageLinear: Float64Array;
  outputBias = 0;
  private readonly denseSquares = new Map<Float64Array | 'bias', Float64Array>();
  private readonly random: () => number;

  constructor(
    private readonly vectors: WordVectors,
    readonly settings: TrainingSettings,
  ) {
    this.dimensions = vectors.dimensions;
    this.hidden = settings.hidden;
    this.random = seededRandom(settings.seed);
    const initial = (length: number, spread: number) => Float64Array.from({ length }, () => (this.random() * 2 - 1) * spread);
    this.windowToHidden = initial(this.hidden * this.dimensions, 0.3);
    this.messageToHidden = initial(this.hidden * this.dimensions, 0.3);
    this.hiddenBias = new Float64Array(this.hidden);
    this.hiddenOut = initial(this.hidden, 0.1);
    this.windowLinear = new Float64Array(this.dimensions);
    this.messageLinear = new Float64Array(this.dimensions);
  }

  prepare(example: TrainingExample): Prepared {
    const { tokens } = example;
    const features = tokens.map((_, index) => {
      const into: SparseFeatures = { ids: [], values: [] };
      wordFeatures(tokens, index, into);
      return into;
    });
    return {
      label: example.label,
      wordFeatures: features,
      message: messageFeatures(tokens),
      vectors: tokens.map((token) => this.vectors.get(token)),
      windows: readingWindows(tokens.length, this.settings.windowWords, this.settings.windowStride),
    };
  }

  train(examples: readonly TrainingExample[], onEpoch?: (epoch: number, loss: number) => void): void {
    const prepared = examples.filter((example) => example.tokens.length > 0).map((example) => this.prepare(example));
    const order = prepared.map((_, index) => index);
    for (let epoch = 0; epoch < this.settings.epochs; epoch++) {
      shuffle(order, this.random);
      let loss = 0;
      for (const index of order) loss += this.step(this.withDropout(prepared[index]!));
      onEpoch?.(epoch + 1, loss / order.length);
    }
  }

  /** The example with a random share of its words blanked out (their features and vectors), when dropout is on. */
  private withDropout(example: Prepared): Prepared {
    const rate = this.settings.dropout;
    if (!rate) return example;
    const empty: SparseFeatures = { ids: [], values: [] };
    const kept = example.wordFeatures.map(() => this.random() >= rate);
    return {
      ...example,
      wordFeatures: example.wordFeatures.map((features, index) => (kept[index] ? features : empty)),
      vectors: example.vectors.map((vector, index) => (kept[index] ? vector : undefined)),
    };
  }

  /** One example forward and back; returns its log loss. */
  private step(example: Prepared): number {
    const pass = this.forward(example);
    const probability = sigmoid(pass.score);
    const gradient = probability - example.label;
    const { hidden, dimensions } = this;
    const rate = this.settings.learningRate;
    const l2 = this.settings.l2;

    this.updateSparse(this.messageWeights, this.messageSquares, example.message, gradient, rate, l2);
    const [start, end] = example.windows[pass.window]!;
    for (let index = start; index < end; index++) {
      this.updateSparse(this.windowWeights, this.windowSquares, example.wordFeatures[index]!, gradient, rate, l2);
    }

    this.outputBias -= this.denseRate('bias', 0, gradient);
    if (pass.messageMean) this.updateDense(this.messageLinear, pass.messageMean, gradient);
    if (pass.windowMean) this.updateDense(this.windowLinear, pass.windowMean, gradient);
    for (let unit = 0; unit < hidden; unit++) {
      const input = pass.hiddenInput[unit]!;
      if (input <= 0) continue;
      const outGradient = gradient * input;
      const inGradient = gradient * this.hiddenOut[unit]!;
      this.hiddenOut[unit]! -= this.denseRate(this.hiddenOut, unit, outGradient);
      this.hiddenBias[unit]! -= this.denseRate(this.hiddenBias, unit, inGradient);
      for (let k = 0; k < dimensions; k++) {
        const at = unit * dimensions + k;
        if (pass.windowMean) this.windowToHidden[at]! -= this.denseRate(this.windowToHidden, at, inGradient * pass.windowMean[k]!);
        if (pass.messageMean) this.messageToHidden[at]! -= this.denseRate(this.messageToHidden, at, inGradient * pass.messageMean[k]!);
      }
    }
    return example.label ? -Math.log(Math.max(probability, 1e-12)) : -Math.log(Math.max(1 - probability, 1e-12));
  }

  wordsWithVectors(vocabulary: readonly string[]): string[] {
    return vocabulary.filter((word) => this.vectors.get(word));
  }

  /** The score (before the sigmoid), which window won, and what the gradients need. */
  forward(example: Prepared) {
    const { hidden, dimensions } = this;
    const messageMean = meanVector(example.vectors, 0, example.vectors.length, dimensions);
    const messageHidden = new Float64Array(hidden);
    for (let unit = 0; unit < hidden; unit++) {
      messageHidden[unit] = this.hiddenBias[unit]! + (messageMean ? dot(this.messageToHidden, unit * dimensions, messageMean) : 0);
    }
    let context = this.outputBias + sparseDot(this.messageWeights, example.message);
    if (messageMean) context += dot(this.messageLinear, 0, messageMean);

    let best = Number.NEGATIVE_INFINITY;
    let bestWindow = 0;
    let bestMean: Float64Array | undefined;
    let bestInput = new Float64Array(hidden);
    example.windows.forEach(([start, end], windowIndex) => {
      let score = 0;
      for (let index = start; index < end; index++) score += sparseDot(this.windowWeights, example.wordFeatures[index]!);
      const windowMean = meanVector(example.vectors, start, end, dimensions);
      const input = new Float64Array(hidden);
      for (let unit = 0; unit < hidden; unit++) {
        input[unit] = messageHidden[unit]! + (windowMean ? dot(this.windowToHidden, unit * dimensions, windowMean) : 0);
        if (input[unit]! > 0) score += this.hiddenOut[unit]! * input[unit]!;
      }
      if (windowMean) score += dot(this.windowLinear, 0, windowMean);
      if (score > best) {
        best = score;
        bestWindow = windowIndex;
        bestMean = windowMean;
        bestInput = input;
      }
    });
    return { score: best + context, window: bestWindow, windowMean: bestMean, messageMean, hiddenInput: bestInput };
  }

  private updateSparse(weights: Float32Array, squares: Float32Array, features: SparseFeatures, gradient: number, rate: number, l2: number) {
    for (let index = 0; index < features.ids.length; index++) {
      const id = features.ids[index]!;
      const g = gradient * features.values[index]! + l2 * weights[id]!;
      squares[id]! += g * g;
      weights[id]! -= (rate * g) / (Math.sqrt(squares[id]!) + 1e-8);
    }
  }

  private updateDense(weights: Float64Array, input: Float64Array, gradient: number) {
    for (let k = 0; k < input.length; k++) weights[k]! -= this.denseRate(weights, k, gradient * input[k]!);
  }

  /** AdaGrad step size times the gradient, for one dense parameter. */
  private denseRate(parameter: Float64Array | 'bias', index: number, gradient: number): number {
    let squares = this.denseSquares.get(parameter);
    if (!squares) {
      squares = new Float64Array(parameter === 'bias' ? 1 : parameter.length);
      this.denseSquares.set(parameter, squares);
    }
    squares[index]! += gradient * gradient;
    return (this.settings.denseLearningRate * gradient) / (Math.sqrt(squares[index]!) + 1e-8);
  }

  /**
   * This member as the engine stores it: sparse weights above a floor, and for each vocabulary word
   * (those with vectors, in order) only what its vector contributes (hidden inputs and linear
   * terms), quantised to one byte each.
   */
  exportMember(vocabulary: readonly string[]): RiskMemberWeights {
    const { hidden, dimensions } = this;
    const rowWidth = 2 * hidden + 2;
    const rows = new Int8Array(vocabulary.length * rowWidth);
    const scales = new Float32Array(vocabulary.length);
    const row = new Float64Array(rowWidth);
    vocabulary.forEach((word, rowIndex) => {
      const found = this.vectors.get(word);
      if (!found) throw new Error(`no vector for "${word}": pass only words with vectors`);
      const vector = Float64Array.from(found);
      for (let unit = 0; unit < hidden; unit++) {
        row[unit] = dot(this.windowToHidden, unit * dimensions, vector);
        row[hidden + unit] = dot(this.messageToHidden, unit * dimensions, vector);
      }
      row[2 * hidden] = dot(this.windowLinear, 0, vector);
      row[2 * hidden + 1] = dot(this.messageLinear, 0, vector);
      let largest = 0;
      for (const value of row) largest = Math.max(largest, Math.abs(value));
      const scale = largest / 127 || 1;
      scales[rowIndex] = scale;
      for (let k = 0; k < rowWidth; k++) rows[rowIndex * rowWidth + k] = Math.round(row[k]! / scale);
    });
    const [windowFeatureIds, windowFeatureWeights] = nonZero(this.windowWeights);
    const [messageFeatureIds, messageFeatureWeights] = nonZero(this.messageWeights);
    return {
      windowFeatureIds,
      windowFeatureWeights,
      messageFeatureIds,
      messageFeatureWeights,
      wordRows: rows,
      wordRowScales: scales,
      hiddenBias: Float32Array.from(this.hiddenBias),
      hiddenOut: Float32Array.from(this.hiddenOut),
      outputBias: this.outputBias,
    };
  }
}

export type HeaderBasics = Omit<RiskModelHeader, 'vocabulary' | 'layout' | 'hidden' | 'featureHashBits'>;

/** The whole model from its trained members (trained with the same settings, different seeds). */
export function assembleModel(trainers: readonly RiskTrainer[], vocabulary: readonly string[], basics: HeaderBasics): RiskModelWeights {
  const first = trainers[0]!;
  const kept = first.wordsWithVectors(vocabulary);
  const members = trainers.map((trainer) => trainer.exportMember(kept));
  return {
    header: {
      ...basics,
      featureHashBits,
      hidden: first.hidden,
      vocabulary: kept.join(' '),
      layout: {
        members: members.map((member, index) => ({
          windowWords: trainers[index]!.settings.windowWords,
          windowStride: trainers[index]!.settings.windowStride,
          windowFeatureCount: member.windowFeatureIds.length,
          messageFeatureCount: member.messageFeatureIds.length,
        })),
        wordRowWidth: 2 * first.hidden + 2,
      },
    },
    members,
  };
}

/** Weights too small to change any decision are left out of the file. */
const weightFloor = 1e-4;

function nonZero(weights: Float32Array): [Uint32Array, Float32Array] {
  const ids: number[] = [];
  const values: number[] = [];
  weights.forEach((value, id) => {
    if (Math.abs(value) >= weightFloor) {
      ids.push(id);
      values.push(value);
    }
  });
  return [Uint32Array.from(ids), Float32Array.from(values)];
}

function meanVector(vectors: ReadonlyArray<Float32Array | undefined>, start: number, end: number, dimensions: number) {
  const mean = new Float64Array(dimensions);
  let count = 0;
  for (let index = start; index < end; index++) {
    const vector = vectors[index];
    if (!vector) continue;
    count++;
    for (let k = 0; k < dimensions; k++) mean[k]! += vector[k]!;
  }
  if (count === 0) return undefined;
  for (let k = 0; k < dimensions; k++) mean[k]! /= count;
  return mean;
}

function dot(weights: Float64Array, offset: number, vector: Float64Array): number {
  let total = 0;
  for (let k = 0; k < vector.length; k++) total += weights[offset + k]! * vector[k]!;
  return total;
}

function sparseDot(weights: Float32Array, features: SparseFeatures): number {
  let total = 0;
  for (let index = 0; index < features.ids.length; index++) total += weights[features.ids[index]!]! * features.values[index]!;
  return total;
}

export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** Mulberry32: a small, fast, seeded generator, so training is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
}
