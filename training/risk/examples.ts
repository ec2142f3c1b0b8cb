import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { messageWords } from '../../src/engine/engine.js';
import type { RiskModel } from '../../src/engine/risk/risk-model.js';
import { framedCopy, noisyCopy } from './augment.js';
import type { LabelledMessage } from './corpus.js';
import type { TrainingExample } from './risk-trainer.js';

/** A message's words exactly as the engine reads them (cleaned of invisible characters, lower case, split). */
export const readWords = (text: string): string[] => messageWords(text).typed;

/** The pack's greetings and "I have a concern" phrases, to open training messages of both labels with. */
function packOpenings(): string[] {
  const file = fileURLToPath(new URL('../../knowledge/language/small-talk.yaml', import.meta.url));
  const smallTalk = parse(readFileSync(file, 'utf8')) as { greetings: string[]; startTriage: string[] };
  return [...smallTalk.greetings, ...smallTalk.startTriage];
}

/**
 * Each message as written, a copy with an opening or ending ("hi,", "I have a concern,", "what do I
 * do?"), and a noisy copy of that (typos, text-speak, no punctuation).
 */
export function trainingExamples(messages: readonly LabelledMessage[], random: () => number): TrainingExample[] {
  const moreOpenings = packOpenings();
  return messages.flatMap((message) => {
    const label = message.label === 'emergency' ? 1 : 0;
    return [
      { tokens: readWords(message.text), label },
      { tokens: readWords(framedCopy(message.text, random, moreOpenings)), label },
      { tokens: readWords(noisyCopy(framedCopy(message.text, random, moreOpenings), random)), label },
    ] as TrainingExample[];
  });
}

/** The model's probability for a message, reading it as the engine does. */
export function score(model: RiskModel, text: string): number {
  return model.score(readWords(text)).probability;
}
