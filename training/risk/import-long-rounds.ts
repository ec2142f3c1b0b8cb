import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blindRoundsFolder, type LabelledAccount, readLabelledAccounts } from '../topics/corpus.js';
import { type LabelledMessage, riskCorpusDirectory } from './corpus.js';

/**
 * Brings the blind long-account rounds of topic matching (eval/blind/long-round-N.jsonl, each
 * already scored at first sight) into `blind/` as labelled risk messages, so the model also learns
 * what a calm, worried long account that is not an emergency looks like. Those rounds hold no
 * emergency (their brief rules one out), so every message is written as "none".
 *
 *   npx tsx training/risk/import-long-rounds.ts
 *
 * Writes blind/long-round-N.jsonl for each round not there yet, and leaves existing files alone,
 * so a round enters the risk corpus once. Then retrain: `npm run train:risk`.
 */
const roundFile = /^long-round-\d+\.jsonl$/;

function asRiskMessage(account: LabelledAccount): LabelledMessage {
  return { text: account.q, label: 'none', topic: account.topics[0] ?? null, voice: account.voice, kind: 'long-account' };
}

const rounds = new Map<string, LabelledAccount[]>();
for (const account of readLabelledAccounts([blindRoundsFolder]))
  if (roundFile.test(account.file)) rounds.set(account.file, [...(rounds.get(account.file) ?? []), account]);
for (const [name, accounts] of rounds) {
  const target = join(riskCorpusDirectory, 'blind', name);
  if (existsSync(target)) continue;
  writeFileSync(target, `${accounts.map((account) => JSON.stringify(asRiskMessage(account))).join('\n')}\n`);
  console.log(`${name}: ${accounts.length} messages into blind/`);
}
