/**
 * What the learned immediate-risk model reads in a message, shared by the trainer and the engine so
 * both always see the same thing. Features are hashed: the model file stores weights by hash, not
 * a list of strings.
 *
 * Per word: the word itself, its character 3- to 5-grams (so "sucide", "kil" and "meetin" still
 * count) and the word pair it starts. The message is read in overlapping windows of a few words, so a
 * danger in the last sentence of a long account is judged on its own words, not averaged away.
 */

export const featureHashBits = 20;
const featureHashMask = (1 << featureHashBits) - 1;

/** Words in one window, and how far each window moves on, unless the model file says otherwise. */
export const windowWords = 10;
export const windowStride = 2;

/** FNV-1a, 32-bit: fast, stable across runs and machines, good enough spread for feature hashing. */
export function hashFeature(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & featureHashMask;
}

/** A sparse feature list: parallel ids and values. */
export interface SparseFeatures {
  ids: number[];
  values: number[];
}

/**
 * The features one word contributes wherever it stands: the word, its character n-grams (weighted
 * so that together they count as much as the word) and the pair it forms with the next word.
 */
export function wordFeatures(tokens: readonly string[], index: number, into: SparseFeatures): void {
  ownWordFeatures(tokens[index]!, into);
  const next = tokens[index + 1];
  if (next !== undefined) {
    into.ids.push(pairFeature(tokens[index]!, next));
    into.values.push(1);
  }
}

/** The features of the word alone (the word and its character n-grams): the same wherever it stands, so they can be cached. */
export function ownWordFeatures(word: string, into: SparseFeatures): void {
  into.ids.push(hashFeature(`w:${word}`));
  into.values.push(1);
  const grams = characterGrams(word);
  for (const gram of grams) {
    into.ids.push(hashFeature(`c:${gram}`));
    into.values.push(1 / grams.length);
  }
}

/** The feature of a word and the one after it. */
export function pairFeature(word: string, next: string): number {
  return hashFeature(`b:${word} ${next}`);
}

/** Character 3- to 5-grams of the word with its boundaries marked ("<meet>" gives "<me", "mee", …). */
export function characterGrams(word: string): string[] {
  if (word.length < 3 || /^\d+$/.test(word)) return [];
  const marked = `<${word}>`;
  const grams: string[] = [];
  for (let size = 3; size <= 5; size++) {
    for (let start = 0; start + size <= marked.length; start++) grams.push(marked.slice(start, start + size));
  }
  return grams;
}

/**
 * Features of the message as a whole (words and word pairs), scaled by its length: the context a
 * window is judged in ("last year", "she is safe now", "what does the law say").
 */
export function messageFeatures(tokens: readonly string[]): SparseFeatures {
  const features: SparseFeatures = { ids: [], values: [] };
  if (tokens.length === 0) return features;
  const scale = messageFeatureScale(tokens.length);
  for (let index = 0; index < tokens.length; index++) {
    features.ids.push(messageWordFeature(tokens[index]!));
    features.values.push(scale);
    const next = tokens[index + 1];
    if (next !== undefined) {
      features.ids.push(messagePairFeature(tokens[index]!, next));
      features.values.push(scale);
    }
  }
  return features;
}

/** Every message feature counts 1/sqrt(words): a long message's context is spread over more words. */
export const messageFeatureScale = (words: number): number => 1 / Math.sqrt(words);
export const messageWordFeature = (word: string): number => hashFeature(`m:${word}`);
export const messagePairFeature = (word: string, next: string): number => hashFeature(`mb:${word} ${next}`);

/** Start and end (exclusive) of each window over a message of `length` words; the last one reaches the end. */
export function readingWindows(length: number, words = windowWords, stride = windowStride): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  forEachReadingWindow(length, words, stride, (start, end) => windows.push([start, end]));
  return windows;
}

/** The same windows, visited without building a list (the engine reads every message this way). */
export function forEachReadingWindow(length: number, words: number, stride: number, visit: (start: number, end: number) => void): void {
  if (length <= words) {
    visit(0, length);
    return;
  }
  for (let start = 0; start + words < length; start += stride) visit(start, start + words);
  visit(length - words, length);
}
