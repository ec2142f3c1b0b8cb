import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelledFeatures } from '../engine/nearest-accounts.js';
import type { TopicRankerHeader, TopicRankerWeights } from '../engine/topic-ranker.js';
import { defaultRiskModelDirectory } from './risk-model-file.js';

/**
 * The learned topic ranker as one file, `models/topic-ranker.json`: its header (topics, terms,
 * blend, figures) and each topic's row of weights as int8 times the row's scale, in base64; with
 * `nearest`, the labelled accounts too (their topics; their terms as uint16 columns, each account's
 * count first; their values as uint8 255ths, in base64).
 * `npm run train:topics` writes it with `topic-ranker.md` (the figures) beside it.
 */
export const topicRankerFileName = 'topic-ranker.json';
export const defaultTopicRankerDirectory = defaultRiskModelDirectory;

interface TopicRankerFile extends TopicRankerHeader {
  /** Per row, the scale its int8 values are multiplied by. */
  rowScales: number[];
  /** The int8 values, rows one after another, in base64. */
  rows: string;
  accountTopics?: number[][];
  accountTerms?: string;
  accountValues?: string;
}

function encodeAccounts(
  accounts: readonly LabelledFeatures[],
  columnCount: number,
): Pick<TopicRankerFile, 'accountTopics' | 'accountTerms' | 'accountValues'> {
  if (columnCount > 0xffff) throw new Error('topic ranker: too many terms to write the accounts as uint16 columns.');
  const terms = new Uint16Array(accounts.reduce((sum, account) => sum + 1 + account.ids.length, 0));
  const values = new Uint8Array(terms.length - accounts.length);
  let at = 0;
  let valueAt = 0;
  for (const account of accounts) {
    terms[at++] = account.ids.length;
    account.ids.forEach((id, index) => {
      terms[at++] = id;
      values[valueAt++] = Math.max(1, Math.round(account.values[index]! * 255));
    });
  }
  return {
    accountTopics: accounts.map((account) => account.topics),
    accountTerms: Buffer.from(terms.buffer).toString('base64'),
    accountValues: Buffer.from(values.buffer).toString('base64'),
  };
}

function decodeAccounts(file: TopicRankerFile, columnCount: number, path: string): LabelledFeatures[] | undefined {
  const { accountTopics, accountTerms, accountValues } = file;
  if (!accountTopics || accountTerms === undefined || accountValues === undefined) return undefined;
  const bytes = Buffer.from(accountTerms, 'base64');
  const terms = new Uint16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2));
  const values = new Uint8Array(Buffer.from(accountValues, 'base64'));
  const accounts: LabelledFeatures[] = [];
  let at = 0;
  let valueAt = 0;
  for (const topics of accountTopics) {
    const count = terms[at++] ?? 0;
    const ids = Array.from(terms.subarray(at, at + count));
    at += count;
    const scaled = Array.from(values.subarray(valueAt, valueAt + count), (value) => value / 255);
    valueAt += count;
    if (ids.length !== count || scaled.length !== count || ids.some((id) => id >= columnCount))
      throw new Error(`${path}: its accounts do not fit its terms; retrain with npm run train:topics.`);
    accounts.push({ ids, values: scaled, topics });
  }
  if (at !== terms.length || valueAt !== values.length)
    throw new Error(`${path}: its accounts do not fit its terms; retrain with npm run train:topics.`);
  return accounts;
}

/** A row per topic, and the field row when there is one. */
const rowCount = (header: TopicRankerHeader): number => header.topics.length + (header.field ? 1 : 0);

export function encodeTopicRanker(header: TopicRankerHeader, rows: Float32Array, accounts?: readonly LabelledFeatures[]): string {
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
  const file: TopicRankerFile = {
    ...header,
    rowScales: scales,
    rows: Buffer.from(bytes.buffer).toString('base64'),
    ...(header.nearest && accounts ? encodeAccounts(accounts, header.vocabulary.length) : {}),
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** The ranker in a folder, or undefined when there is none (the matcher then ranks alone). Throws naming the file when it is unreadable. */
export function readTopicRanker(directory: string = defaultTopicRankerDirectory): TopicRankerWeights | undefined {
  const path = join(directory, topicRankerFileName);
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as TopicRankerFile;
  const { rowScales, rows, accountTopics: _topics, accountTerms: _terms, accountValues: _values, ...header } = file;
  if (header.format !== 1) throw new Error(`${path}: unknown format ${String(header.format)}; retrain with npm run train:topics.`);
  const width = header.vocabulary.length + 1;
  const bytes = new Int8Array(Buffer.from(rows, 'base64'));
  if (bytes.length !== width * rowCount(header) || rowScales.length !== rowCount(header))
    throw new Error(`${path}: its weights do not fit its topics and terms; retrain with npm run train:topics.`);
  const weights = new Float32Array(bytes.length);
  for (let index = 0; index < bytes.length; index++) weights[index] = bytes[index]! * rowScales[Math.floor(index / width)]!;
  const accounts = header.nearest ? decodeAccounts(file, header.vocabulary.length, path) : undefined;
  if (header.nearest && !accounts) throw new Error(`${path}: it names nearest accounts but holds none; retrain with npm run train:topics.`);
  return { header, rows: weights, ...(accounts ? { accounts } : {}) };
}
