import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LabelledMessage, riskCorpusDirectory } from './corpus.js';

/**
 * Brings the blind long-account rounds of topic matching (eval/blind/long-round-N.jsonl, each
 * already scored at first sight) into `blind/` as labelled risk messages, so the model also learns
 * what a calm, worried long account that is not an emergency looks like. Every message those rounds
 * hold is written as "not an emergency" (kind "answer"); one marked kind "emergency" keeps that label.
 *
 *   npx tsx training/risk/import-long-rounds.ts
 *
 * Writes blind/long-round-N.jsonl for each round not there yet, and leaves existing files alone,
 * so a round enters the risk corpus once. Then retrain: `npm run train:risk`.
 */
const blindRoundsDirectory = resolve(fileURLToPath(new URL('../../eval/blind', import.meta.url)));
const roundFile = /^long-round-\d+\.jsonl$/;

interface BlindAccount {
  q: string;
  kind: string;
  topics?: string[];
  voice?: string;
}

function asRiskMessage(account: BlindAccount): LabelledMessage {
  return {
    text: account.q,
    label: account.kind === 'emergency' ? 'emergency' : 'none',
    topic: account.topics?.[0] ?? null,
    voice: account.voice,
    kind: 'long-account',
  };
}

for (const name of readdirSync(blindRoundsDirectory)
  .filter((file) => roundFile.test(file))
  .sort()) {
  const target = join(riskCorpusDirectory, 'blind', name);
  if (existsSync(target)) continue;
  const accounts = readFileSync(join(blindRoundsDirectory, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as BlindAccount);
  writeFileSync(target, `${accounts.map((account) => JSON.stringify(asRiskMessage(account))).join('\n')}\n`);
  console.log(`${name}: ${accounts.length} messages into blind/`);
}
