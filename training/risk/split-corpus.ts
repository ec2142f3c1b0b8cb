import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type LabelledMessage, readMessages, riskCorpusDirectory } from './corpus.js';

/**
 * Splits newly written corpus files (the JSON Lines files in a folder) into train, dev and test:
 * 70/15/15 by a hash of each message's text, so the split does not depend on file order.
 *
 *   npx tsx training/risk/split-corpus.ts <folder>              80/20 into train/ and dev/ only
 *   npx tsx training/risk/split-corpus.ts <folder> --with-test  also into test/ (done once, when the test split was made)
 *
 * The test split is frozen: after it was made, new material goes to train and dev only, and CI
 * refuses a test split whose hash changed.
 */
const withTest = process.argv.includes('--with-test');
const incoming = process.argv.slice(2).find((argument) => !argument.startsWith('--'));
if (!incoming) throw new Error('Name the folder of new corpus files.');

function shareOf(text: string): number {
  return createHash('sha256').update(text.trim().toLowerCase()).digest().readUInt32BE(0) / 2 ** 32;
}

for (const name of readdirSync(incoming)
  .filter((file) => file.endsWith('.jsonl'))
  .sort()) {
  const messages = readMessages(join(incoming, name));
  const parts: Record<'train' | 'dev' | 'test', LabelledMessage[]> = { train: [], dev: [], test: [] };
  for (const message of messages) {
    const share = shareOf(message.text);
    if (withTest && share >= 0.85) parts.test.push(message);
    else if (share >= (withTest ? 0.7 : 0.8)) parts.dev.push(message);
    else parts.train.push(message);
  }
  for (const [split, list] of Object.entries(parts)) {
    if (list.length === 0) continue;
    mkdirSync(join(riskCorpusDirectory, split), { recursive: true });
    writeFileSync(join(riskCorpusDirectory, split, basename(name)), `${list.map((message) => JSON.stringify(message)).join('\n')}\n`);
  }
  console.log(`${name}: train ${parts.train.length}, dev ${parts.dev.length}, test ${parts.test.length}`);
}
