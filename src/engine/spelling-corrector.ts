import Fuse from 'fuse.js';

/**
 * Corrects misspelled words ("refferal", "groomin", "exploitaton") to the closest word the
 * knowledge pack uses. A word that is real English or already in the pack is left alone, so
 * "password" never turns into "passport"; a correction must be within one edit for short words
 * and two for long ones.
 */
export class SpellingCorrector {
  private readonly fuse: Fuse<string>;
  private readonly domainWords: ReadonlySet<string>;
  private readonly cache = new Map<string, string>();
  private static readonly cacheLimit = 5000;

  constructor(
    domainWords: Iterable<string>,
    private readonly englishWords: ReadonlySet<string>,
  ) {
    const words = [...new Set(domainWords)].filter((word) => /^[a-z]{3,}$/.test(word)).sort();
    this.domainWords = new Set(domainWords);
    this.fuse = new Fuse(words, {
      includeScore: true,
      threshold: 0.4,
      ignoreLocation: true,
      minMatchCharLength: 2,
      isCaseSensitive: true,
    });
  }

  correct(token: string): string {
    if (token.length < 4 || !/^[a-z]+$/.test(token) || this.domainWords.has(token) || this.englishWords.has(token)) {
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

  private closestDomainWord(token: string): string | undefined {
    const allowedEdits = token.length >= 7 ? 2 : 1;
    let best: { word: string; edits: number; score: number } | undefined;
    for (const result of this.fuse.search(token, { limit: 8 })) {
      const word = result.item;
      if (Math.abs(word.length - token.length) > allowedEdits) continue;
      const edits = editDistance(token, word, allowedEdits);
      if (edits > allowedEdits) continue;
      const score = result.score ?? 1;
      if (!best || edits < best.edits || (edits === best.edits && score < best.score)) best = { word, edits, score };
    }
    return best?.word;
  }
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
