import Fuse from 'fuse.js';

/**
 * Corrects misspelled words ("refferal", "groomin", "exploitaton") to the closest word the
 * knowledge pack uses. A word that is real English or already in the pack is left alone, so
 * "password" never turns into "passport"; a correction must be within one edit for short words
 * and two for long ones.
 */
export class SpellingCorrector {
  private readonly targets: string[];
  /** Which target words contain each pair of letters ("^g", "gr", "ro"...): a cheap first cut. */
  private readonly wordsByLetterPair = new Map<string, number[]>();
  private readonly domainWords: ReadonlySet<string>;
  private readonly cache = new Map<string, string>();
  private static readonly cacheLimit = 5000;

  private englishWords: ReadonlySet<string> | undefined;

  /** The English word list is large; it is loaded on the first word that needs it, or by warmUp(). */
  constructor(
    domainWords: Iterable<string>,
    private readonly loadEnglishWords: () => ReadonlySet<string>,
  ) {
    this.domainWords = new Set(domainWords);
    this.targets = [...this.domainWords].filter((word) => /^[a-z]{3,}$/.test(word)).sort();
    this.targets.forEach((word, index) => {
      for (const pair of letterPairs(word)) {
        const list = this.wordsByLetterPair.get(pair);
        if (list) list.push(index);
        else this.wordsByLetterPair.set(pair, [index]);
      }
    });
  }

  correct(token: string): string {
    if (token.length < 4 || !/^[a-z]+$/.test(token) || this.domainWords.has(token) || this.english().has(token)) {
      return token;
    }
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    const corrected = this.closestDomainWord(token) ?? token;
    if (this.cache.size >= SpellingCorrector.cacheLimit) this.cache.clear();
    this.cache.set(token, corrected);
    return corrected;
  }

  correctAll(tokens: readonly string[]): string[] {
    return tokens.map((token) => this.correct(token));
  }

  /** Is this a word of everyday English (in the broad word list), rather than jargon, a name or a typo? */
  isEnglishWord(token: string): boolean {
    return this.english().has(token);
  }

  warmUp(): void {
    this.english();
  }

  private english(): ReadonlySet<string> {
    this.englishWords ??= this.loadEnglishWords();
    return this.englishWords;
  }

  /**
   * Words sharing enough letter pairs with the token (each edit breaks at most two pairs) are
   * scored by fuse.js; the best within the allowed number of edits wins.
   */
  private closestDomainWord(token: string): string | undefined {
    const allowedEdits = token.length >= 7 ? 2 : 1;
    const pairs = letterPairs(token);
    const needed = Math.max(1, pairs.size - 2 * allowedEdits);
    const shared = new Map<number, number>();
    for (const pair of pairs) {
      for (const index of this.wordsByLetterPair.get(pair) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
    }
    let fewestEdits = allowedEdits + 1;
    let closest: string[] = [];
    for (const [index, count] of shared) {
      const word = this.targets[index]!;
      if (count < needed || Math.abs(word.length - token.length) > allowedEdits) continue;
      const edits = editDistance(token, word, allowedEdits);
      if (edits < fewestEdits) {
        fewestEdits = edits;
        closest = [word];
      } else if (edits === fewestEdits) closest.push(word);
    }
    if (closest.length <= 1) return closest[0];
    // Several words equally close: fuse.js's score (which weighs where and how letters differ) decides.
    const fuse = new Fuse(closest, { includeScore: true, threshold: 1, ignoreLocation: true, isCaseSensitive: true });
    return fuse.search(token, { limit: 1 })[0]?.item ?? closest.sort()[0];
  }
}

function letterPairs(word: string): Set<string> {
  const marked = `^${word}$`;
  const pairs = new Set<string>();
  for (let index = 1; index < marked.length; index++) pairs.add(marked.slice(index - 1, index + 1));
  return pairs;
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbouring letters), giving up early once it exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const columns = b.length + 1;
  let previousPrevious = new Array<number>(columns).fill(0);
  let previous = Array.from({ length: columns }, (_, j) => j);
  let current = new Array<number>(columns).fill(0);
  for (let i = 1; i < rows; i++) {
    current[0] = i;
    let rowMinimum = current[0];
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previousPrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return rowMinimum;
    [previousPrevious, previous, current] = [previous, current, previousPrevious];
  }
  return previous[columns - 1]!;
}
