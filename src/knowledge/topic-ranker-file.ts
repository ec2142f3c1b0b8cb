import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopicRankerHeader, TopicRankerWeights } from '../engine/topic-ranker.js';
import { defaultRiskModelDirectory } from './risk-model-file.js';

/**
 * The learned topic ranker as one file, `models/topic-ranker.json`: its header (topics, terms,
 * blend, figures) and each topic's row of weights as int8 times the row's scale, in base64.
 * `npm run train:topics` writes it with `topic-ranker.md` (the figures) beside it.
 */
export const topicRankerFileName = 'topic-ranker.json';
export const defaultTopicRankerDirectory = defaultRiskModelDirectory;

interface TopicRankerFile extends TopicRankerHeader {
  /** Per row, the scale its int8 values are multiplied by. */
  rowScales: number[];
  /** The int8 values, rows one after another, in base64. */
  rows: string;
}

/** A row per topic, and the field row when there is one. */
const rowCount = (header: TopicRankerHeader): number => header.topics.length + (header.field ? 1 : 0);

export function encodeTopicRanker(header: TopicRankerHeader, rows: Float32Array): string {
  const width = header.vocabulary.length + 1;
  const scales: number[] = [];
  const bytes = new Int8Array(rows.length);
  for (let topic = 0; topic < rowCount(header); topic++) {
    let largest = 0;
    for (let index = 0; index < width; index++) largest = Math.max(largest, Math.abs(rows[topic * width + index]!));
    const scale = largest > 0 ? largest / 127 : 1;
    scales.push(Number(scale.toPrecision(7)));
    for (let index = 0; index < width; index++) bytes[topic * width + index] = Math.round(rows[topic * width + index]! / scale);
  }
  const file: TopicRankerFile = { ...header, rowScales: scales, rows: Buffer.from(bytes.buffer).toString('base64') };
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** The ranker in a folder, or undefined when there is none (the matcher then ranks alone). Throws naming the file when it is unreadable. */
export function readTopicRanker(directory: string = defaultTopicRankerDirectory): TopicRankerWeights | undefined {
  const path = join(directory, topicRankerFileName);
  if (!existsSync(path)) return undefined;
  const { rowScales, rows, ...header } = JSON.parse(readFileSync(path, 'utf8')) as TopicRankerFile;
  if (header.format !== 1) throw new Error(`${path}: unknown format ${String(header.format)}; retrain with npm run train:topics.`);
  const width = header.vocabulary.length + 1;
  const bytes = new Int8Array(Buffer.from(rows, 'base64'));
  if (bytes.length !== width * rowCount(header) || rowScales.length !== rowCount(header))
    throw new Error(`${path}: its weights do not fit its topics and terms; retrain with npm run train:topics.`);
  const weights = new Float32Array(bytes.length);
  for (let index = 0; index < bytes.length; index++) weights[index] = bytes[index]! * rowScales[Math.floor(index / width)]!;
  return { header, rows: weights };
}
