import { tokenise } from './text-normaliser.js';

export interface PhraseMatch<T> {
  /** Index of the first token of the match. */
  start: number;
  /** Index one past the last token. */
  end: number;
  value: T;
}

interface TrieNode<T> {
  children: Map<string, TrieNode<T>>;
  values: T[];
}

/**
 * Finds known phrases (sequences of whole words) in a token list. Used for synonyms, small talk
 * and immediate-risk signals, which are all lists of phrases in the knowledge pack.
 */
export class PhraseMatcher<T> {
  private readonly root: TrieNode<T> = { children: new Map(), values: [] };

  add(phrase: string, value: T): void {
    const tokens = tokenise(phrase);
    if (tokens.length === 0) return;
    let node = this.root;
    for (const token of tokens) {
      let next = node.children.get(token);
      if (!next) {
        next = { children: new Map(), values: [] };
        node.children.set(token, next);
      }
      node = next;
    }
    node.values.push(value);
  }

  /** Every occurrence of every phrase, overlapping ones included. */
  findAll(tokens: readonly string[]): PhraseMatch<T>[] {
    const matches: PhraseMatch<T>[] = [];
    for (let start = 0; start < tokens.length; start++) {
      let node: TrieNode<T> | undefined = this.root;
      for (let index = start; index < tokens.length && node; index++) {
        node = node.children.get(tokens[index]!);
        if (node) for (const value of node.values) matches.push({ start, end: index + 1, value });
      }
    }
    return matches;
  }

  /** Left to right, the longest phrase at each position; matches do not overlap. */
  findLongest(tokens: readonly string[]): PhraseMatch<T>[] {
    const matches: PhraseMatch<T>[] = [];
    let start = 0;
    while (start < tokens.length) {
      let node: TrieNode<T> | undefined = this.root;
      let best: PhraseMatch<T> | undefined;
      for (let index = start; index < tokens.length && node; index++) {
        node = node.children.get(tokens[index]!);
        const value = node?.values[0];
        if (value !== undefined) best = { start, end: index + 1, value };
      }
      if (best) {
        matches.push(best);
        start = best.end;
      } else {
        start++;
      }
    }
    return matches;
  }
}
