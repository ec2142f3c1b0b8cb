import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The topic ranker's corpus: long accounts, each labelled with the topics a safeguarding lead would
 * accept as the answer. training/topics/corpus/ holds the accounts written for training; the blind
 * rounds in eval/blind/ join once they have been scored at first sight.
 */
export interface LabelledAccount {
  q: string;
  topics: string[];
  file: string;
  /** Who is writing, as the writer of the account described them. */
  voice?: string;
}

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The blind long-account rounds, each scored at first sight before it joins the corpus. */
export const blindRoundsFolder = join(root, 'eval', 'blind');
export const topicCorpusFolders = [join(root, 'training', 'topics', 'corpus'), blindRoundsFolder];

export function readLabelledAccounts(folders: readonly string[] = topicCorpusFolders): LabelledAccount[] {
  return folders.flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
      .flatMap((name) =>
        readFileSync(join(folder, name), 'utf8')
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => {
            const { q, topics, voice } = JSON.parse(line) as { q: string; topics: string[]; voice?: string };
            return { q, topics, file: name, ...(voice ? { voice } : {}) };
          }),
      ),
  );
}

/** What the model records it was trained on; CI compares it with the corpus, so the two cannot drift. */
export function topicCorpusSha256(accounts: readonly LabelledAccount[] = readLabelledAccounts()): string {
  const hash = createHash('sha256').update(
    accounts.map((account) => `${account.file}\t${account.q}\t${account.topics.join(',')}`).join('\n'),
  );
  // The messages about something else that the field row learns from, and the ones it is checked on.
  for (const name of readdirSync(offTopicFolder)
    .filter((file) => file.endsWith('.jsonl'))
    .sort())
    hash.update(`\n${name}\n`).update(readFileSync(join(offTopicFolder, name), 'utf8'));
  return hash.digest('hex');
}

/** Long messages about something else (training/topics/off-topic/): what the ranker must leave "not my subject". */
export const offTopicFolder = join(root, 'training', 'topics', 'off-topic');

/** The messages of one file of off-topic/ (train-off-topic.jsonl: learned from; check-off-topic.jsonl: checked on). */
export function readOffTopicMessages(name: 'train-off-topic.jsonl' | 'check-off-topic.jsonl'): string[] {
  return readFileSync(join(offTopicFolder, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { q: string }).q);
}
