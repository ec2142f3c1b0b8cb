import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The learned immediate-risk model as files: `risk-model.json` (settings, thresholds, figures, the
 * corpus hash and the word list, readable by people and by CI) and `risk-model.bin` (the numbers).
 * `npm run train:risk` writes both; the engine reads them at start-up.
 */
export interface RiskModelHeader {
  format: 2;
  /** How it was made, for people reading the file. */
  createdBy: string;
  /** SHA-256 over the corpus it was trained, tuned and tested on (see training/risk/). */
  corpusSha256: string;
  seed: number;
  featureHashBits: number;
  /** Hidden units reading each window's word vectors. */
  hidden: number;
  /** Probability at or above which the message is an emergency, and at or above which it may be one. */
  thresholds: { emergency: number; possible: number };
  /** Figures measured when it was trained (train, dev and the frozen test split). */
  figures: Record<string, unknown>;
  /** The words the model has vectors for, space-separated, in the order of the vector rows. */
  vocabulary: string;
  /** Lengths (in elements) of the arrays in risk-model.bin: the members' arrays, one member after another. */
  layout: {
    /** Each member's window (words, and how far it moves on) and how many hashed features it keeps. */
    members: Array<{ windowWords: number; windowStride: number; windowFeatureCount: number; messageFeatureCount: number }>;
    /** Numbers per word row: hidden units for the window, for the message, then one linear term each. */
    wordRowWidth: number;
  };
}

/** The numbers, as the engine uses them: several members trained alike from different seeds, averaged. */
export interface RiskModelWeights {
  header: RiskModelHeader;
  members: RiskMemberWeights[];
}

export interface RiskMemberWeights {
  windowFeatureIds: Uint32Array;
  windowFeatureWeights: Float32Array;
  messageFeatureIds: Uint32Array;
  messageFeatureWeights: Float32Array;
  /** One row per vocabulary word: `wordRowWidth` int8 values times the row's scale. */
  wordRows: Int8Array;
  wordRowScales: Float32Array;
  hiddenBias: Float32Array;
  hiddenOut: Float32Array;
  /** Added to every message's score. */
  outputBias: number;
}

export const riskModelFileNames = { header: 'risk-model.json', weights: 'risk-model.bin' };

/**
 * Where the model lives: models/ beside knowledge/, not inside it. The pack's checks read every
 * file in knowledge/ as text (every number and time must be in the source), and a binary file of
 * weights would match those patterns by chance.
 */
export const defaultRiskModelDirectory = resolve(fileURLToPath(new URL('../../models', import.meta.url)));

/** Reads the two files from a folder. Throws with the file name when either is missing or inconsistent. */
export function readRiskModel(directory: string): RiskModelWeights {
  const headerFile = join(directory, riskModelFileNames.header);
  const weightsFile = join(directory, riskModelFileNames.weights);
  const header = JSON.parse(readFileSync(headerFile, 'utf8')) as RiskModelHeader;
  if (header.format !== 2) throw new Error(`${headerFile}: unknown format ${String(header.format)}; retrain with npm run train:risk.`);
  const bytes = readFileSync(weightsFile);
  const { wordRowWidth } = header.layout;
  const vocabularySize = header.vocabulary ? header.vocabulary.split(' ').length : 0;
  const hidden = header.hidden;

  // Copy into a fresh, aligned buffer: a Buffer from readFileSync may start at any byte offset.
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  let offset = 0;
  const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, length: number, bytesPer: number): T => {
    if (offset + length * bytesPer > bytes.length)
      throw new Error(`${weightsFile}: shorter than ${riskModelFileNames.header} describes; retrain with npm run train:risk.`);
    const view = make(buffer, offset, length);
    offset += length * bytesPer;
    return view;
  };
  // Feature weights are stored as int16 times one scale per array: half the size, far finer than any decision needs.
  const takeQuantised = (count: number): Float32Array => {
    const scale = take((b, o, l) => new Float32Array(b, o, l), 1, 4)[0]!;
    const stored = take((b, o, l) => new Int16Array(b, o, l), align2(count), 2);
    const weights = new Float32Array(count);
    for (let index = 0; index < count; index++) weights[index] = stored[index]! * scale;
    return weights;
  };
  for (const member of header.layout.members) {
    if (
      !(Number.isInteger(member.windowWords) && member.windowWords > 0 && Number.isInteger(member.windowStride) && member.windowStride > 0)
    ) {
      throw new Error(`${headerFile}: a member has no reading window; retrain with npm run train:risk.`);
    }
  }
  const members = header.layout.members.map(
    ({ windowFeatureCount, messageFeatureCount }): RiskMemberWeights => ({
      windowFeatureIds: take((b, o, l) => new Uint32Array(b, o, l), windowFeatureCount, 4),
      windowFeatureWeights: takeQuantised(windowFeatureCount),
      messageFeatureIds: take((b, o, l) => new Uint32Array(b, o, l), messageFeatureCount, 4),
      messageFeatureWeights: takeQuantised(messageFeatureCount),
      wordRowScales: take((b, o, l) => new Float32Array(b, o, l), vocabularySize, 4),
      hiddenBias: take((b, o, l) => new Float32Array(b, o, l), hidden, 4),
      hiddenOut: take((b, o, l) => new Float32Array(b, o, l), hidden, 4),
      outputBias: take((b, o, l) => new Float32Array(b, o, l), 1, 4)[0]!,
      // Int8 rows last in each member, so every Float32 and Uint32 array above starts on a 4-byte boundary.
      wordRows: take((b, o, l) => new Int8Array(b, o, l), align4(vocabularySize * wordRowWidth), 1).subarray(
        0,
        vocabularySize * wordRowWidth,
      ),
    }),
  );
  if (offset !== bytes.length) {
    throw new Error(
      `${weightsFile}: ${bytes.length} bytes where ${riskModelFileNames.header} describes ${offset}; retrain with npm run train:risk.`,
    );
  }
  return { header, members };
}

const align4 = (length: number) => Math.ceil(length / 4) * 4;
const align2 = (length: number) => Math.ceil(length / 2) * 2;

/** A scale and the weights as int16 multiples of it, padded to a 4-byte boundary. */
function quantised(weights: Float32Array): Uint8Array[] {
  let largest = 0;
  for (const value of weights) largest = Math.max(largest, Math.abs(value));
  const scale = largest / 32767 || 1;
  const stored = new Int16Array(align2(weights.length));
  weights.forEach((value, index) => {
    stored[index] = Math.round(value / scale);
  });
  return [new Uint8Array(new Float32Array([scale]).buffer), new Uint8Array(stored.buffer)];
}

/** Lays the numbers out as readRiskModel expects them (used by the trainer). */
export function encodeRiskModelWeights(members: readonly RiskMemberWeights[]): Buffer {
  const bytesOf = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const parts: Uint8Array[] = [];
  for (const member of members) {
    parts.push(
      bytesOf(member.windowFeatureIds),
      ...quantised(member.windowFeatureWeights),
      bytesOf(member.messageFeatureIds),
      ...quantised(member.messageFeatureWeights),
      bytesOf(member.wordRowScales),
      bytesOf(member.hiddenBias),
      bytesOf(member.hiddenOut),
      bytesOf(new Float32Array([member.outputBias])),
      bytesOf(member.wordRows),
      new Uint8Array(align4(member.wordRows.length) - member.wordRows.length),
    );
  }
  return Buffer.concat(parts);
}
