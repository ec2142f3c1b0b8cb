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
}

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const topicCorpusFolders = [join(root, 'training', 'topics', 'corpus'), join(root, 'eval', 'blind')];

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
            const { q, topics } = JSON.parse(line) as { q: string; topics: string[] };
            return { q, topics, file: name };
          }),
      ),
  );
}

/** What the model records it was trained on; CI compares it with the corpus, so the two cannot drift. */
export function topicCorpusSha256(accounts: readonly LabelledAccount[] = readLabelledAccounts()): string {
  return createHash('sha256')
    .update(accounts.map((account) => `${account.file}\t${account.q}\t${account.topics.join(',')}`).join('\n'))
    .digest('hex');
}
