import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The labelled corpus the immediate-risk model learns from (see training/risk/README.md):
 *   train/   what the model learns from
 *   dev/     what thresholds and settings are chosen on
 *   test/    the frozen test split: never used for tuning; CI checks its hash
 *   blind/   blind rounds, added only after they were scored at first sight; used for training
 */
export const riskCorpusDirectory = fileURLToPath(new URL('.', import.meta.url));

export type RiskLabel = 'emergency' | 'none';

export interface LabelledMessage {
  text: string;
  label: RiskLabel;
  topic: string | null;
  voice?: string;
  kind?: string;
}

export type SplitName = 'train' | 'dev' | 'test' | 'blind';

/** Every JSON Lines file of a split, in name order, checked line by line. */
export function readSplit(split: SplitName, directory = riskCorpusDirectory): LabelledMessage[] {
  return splitFiles(split, directory).flatMap((file) => readMessages(file));
}

export function splitFiles(split: SplitName, directory = riskCorpusDirectory): string[] {
  const folder = join(directory, split);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(folder, name));
}

export function readMessages(file: string): LabelledMessage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, number }) => {
      const where = `${relative(process.cwd(), file)}:${number}`;
      let value: Partial<LabelledMessage>;
      try {
        value = JSON.parse(line) as Partial<LabelledMessage>;
      } catch {
        throw new Error(`${where}: not a JSON object. Fix: one {"text": …, "label": …} object per line.`);
      }
      if (typeof value.text !== 'string' || !value.text.trim()) throw new Error(`${where}: "text" is missing or empty.`);
      if (value.label !== 'emergency' && value.label !== 'none') throw new Error(`${where}: "label" must be "emergency" or "none".`);
      return { text: value.text, label: value.label, topic: value.topic ?? null, voice: value.voice, kind: value.kind };
    });
}

/** SHA-256 over the given files' paths (relative to the corpus folder) and contents, in order. */
export function filesSha256(files: readonly string[], directory = riskCorpusDirectory): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(directory, file).split('\\').join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The hash a model records: every split it was trained, tuned and tested on. */
export function corpusSha256(directory = riskCorpusDirectory): string {
  return filesSha256(
    (['train', 'blind', 'dev', 'test'] as const).flatMap((split) => splitFiles(split, directory)),
    directory,
  );
}

/** The frozen test split's hash, which CI compares with the one written in the test suite. */
export function testSplitSha256(directory = riskCorpusDirectory): string {
  return filesSha256(splitFiles('test', directory), directory);
}
