import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { LabelledMessage } from './corpus.js';
import { riskCorpusDirectory } from './corpus.js';

/**
 * Brings labelled messages the project already has into the training split, so the model also
 * learns the plain end of the range: greetings, help requests, one-line topic questions, off-topic
 * questions and short explicit emergencies ("child in immediate danger"). The writers' corpus is
 * mostly hard cases; without these the model had never seen "hello".
 *
 *   npx tsx training/risk/import-labelled.ts
 *
 * Writes train/knowledge-pack-phrasings.jsonl (every topic phrasing and small-talk phrase; the
 * immediate-risk topic's phrasings are labelled by hand below) and train/eval-sets.jsonl (eval/*.jsonl). Since the eval sets are now training data,
 * `npm run eval`'s emergency figures are training figures; the honest ones are the frozen test
 * split and the blind rounds.
 */
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const asLine = (message: LabelledMessage) => JSON.stringify(message);

/** The immediate-risk topic's phrasings, each labelled by hand: a statement of danger, or a question about what to do in one. */
const immediateRiskLabels: Record<string, LabelledMessage['label']> = {
  'child at immediate risk': 'emergency',
  'a child is in danger right now': 'emergency',
  'what do i do in an emergency': 'none',
  'when should i call 999': 'none',
  'when do I ring the police': 'none',
  'is this an emergency': 'none',
  'child in immediate danger': 'emergency',
  'immediate risk of harm': 'emergency',
  'do i phone 999 or social care': 'none',
  'urgent help needed for a child': 'emergency',
  emergancy: 'emergency',
  'imediate risk': 'emergency',
};

function packPhrasings(): LabelledMessage[] {
  const topicsDirectory = join(root, 'knowledge', 'topics');
  const messages: LabelledMessage[] = [];
  for (const file of readdirSync(topicsDirectory)
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    const topic = parse(readFileSync(join(topicsDirectory, file), 'utf8')) as { id: string; phrasings?: string[] };
    for (const text of topic.phrasings ?? []) {
      // The immediate-risk topic's phrasings mix emergencies ("child in immediate danger") with questions about them ("when should I call 999").
      const label = topic.id === 'immediate-risk' ? immediateRiskLabels[text] : 'none';
      if (!label)
        throw new Error(
          `knowledge/topics/immediate-risk.yaml: label the new phrasing "${text}" in immediateRiskLabels (import-labelled.ts).`,
        );
      messages.push({ text, label, topic: topic.id, voice: 'knowledge pack', kind: 'topic-phrasing' });
    }
  }
  const smallTalk = parse(readFileSync(join(root, 'knowledge', 'language', 'small-talk.yaml'), 'utf8')) as Record<string, string[]>;
  for (const [kind, phrases] of Object.entries(smallTalk)) {
    for (const text of phrases) messages.push({ text, label: 'none', topic: null, voice: 'knowledge pack', kind: `small-talk-${kind}` });
  }
  return messages;
}

function evalSets(): LabelledMessage[] {
  const evalDirectory = join(root, 'eval');
  return readdirSync(evalDirectory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      readFileSync(join(evalDirectory, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => {
          const { q, kind } = JSON.parse(line) as { q: string; kind: string };
          return {
            text: q,
            label: kind === 'emergency' ? 'emergency' : 'none',
            topic: null,
            voice: 'eval set',
            kind: `eval-${kind}`,
          } as LabelledMessage;
        }),
    );
}

for (const [file, messages] of [
  ['knowledge-pack-phrasings.jsonl', packPhrasings()],
  ['eval-sets.jsonl', evalSets()],
] as const) {
  writeFileSync(join(riskCorpusDirectory, 'train', file), `${messages.map(asLine).join('\n')}\n`);
  console.log(`train/${file}: ${messages.length} messages`);
}
