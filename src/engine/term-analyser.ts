import { stemmer } from 'stemmer';
import { stopwords } from './stopwords.js';
import type { SynonymRewriter } from './synonym-rewriter.js';

/** Ages, dates and counts say little about which topic fits; these numbers name things. */
const meaningfulNumbers = new Set(['999', '47']);

/**
 * Turns tokens into the terms topic matching compares: synonyms rewritten, stopwords dropped,
 * words stemmed ("grooming", "groomed" -> "groom"), plus each pair of neighbouring terms
 * ("county lines" -> "counti_line") so phrases count for more than their words apart.
 */
export class TermAnalyser {
  /** Stemming is the costly step and the same few thousand words recur; remember them. */
  private readonly stems = new Map<string, string>();

  constructor(private readonly synonyms: SynonymRewriter) {}

  unigrams(tokens: readonly string[]): string[] {
    return this.synonyms
      .rewrite(tokens)
      .filter((token) => !stopwords.has(token) && (!/^\d+$/.test(token) || meaningfulNumbers.has(token)))
      .map((token) => this.stem(token));
  }

  private stem(token: string): string {
    let stem = this.stems.get(token);
    if (stem === undefined) {
      stem = stemmer(token);
      if (this.stems.size < 50_000) this.stems.set(token, stem);
    }
    return stem;
  }

  terms(tokens: readonly string[]): { unigrams: string[]; bigrams: string[] } {
    const unigrams = this.unigrams(tokens);
    const bigrams: string[] = [];
    for (let index = 1; index < unigrams.length; index++) {
      if (unigrams[index - 1] !== unigrams[index]) bigrams.push(`${unigrams[index - 1]}_${unigrams[index]}`);
    }
    return { unigrams, bigrams };
  }
}
