import type { SynonymEntry } from '../knowledge/pack-types.js';
import { PhraseMatcher } from './phrase-matcher.js';
import { tokenise } from './text-normaliser.js';

/**
 * Rewrites abbreviations, slang and other spellings to the words the bot matches on
 * ("CSE" -> "sexual exploitation", "sexting" -> "nudes"), longest phrase first.
 */
export class SynonymRewriter {
  private readonly matcher = new PhraseMatcher<string[]>();

  constructor(synonyms: readonly SynonymEntry[]) {
    for (const entry of synonyms) {
      const meaning = tokenise(entry.means);
      for (const word of entry.words) this.matcher.add(word, meaning);
    }
  }

  rewrite(tokens: readonly string[]): string[] {
    const matches = this.matcher.findLongest(tokens);
    if (matches.length === 0) return [...tokens];
    const result: string[] = [];
    let position = 0;
    for (const match of matches) {
      result.push(...tokens.slice(position, match.start), ...match.value);
      position = match.end;
    }
    result.push(...tokens.slice(position));
    return result;
  }
}
