import { createHash } from 'node:crypto';
import type { Answer } from '../engine/index.js';

/**
 * A short digest of everything a card can show of an answer: the renderers' caches key on it, so
 * two answers that draw the same card share it. Scores are left out (no card shows them, and
 * every question scores a little differently). Answers are never changed once built, so a digest
 * worked out once (on the engine thread, beside the answer) holds for the answer's lifetime.
 */
const known = new WeakMap<Answer, string>();

export function fingerprintAnswer(answer: Answer): string {
  const shown = { ...answer, score: 0, alternatives: answer.alternatives.map(({ id, title }) => ({ id, title, score: 0 })) };
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64');
}

/** The answer's digest: the one it arrived with, or worked out now (and kept). */
export function answerFingerprint(answer: Answer): string {
  let fingerprint = known.get(answer);
  if (fingerprint === undefined) {
    fingerprint = fingerprintAnswer(answer);
    known.set(answer, fingerprint);
  }
  return fingerprint;
}

/** Keeps a digest worked out elsewhere (the engine thread) for this answer object. */
export function rememberAnswerFingerprint(answer: Answer, fingerprint: string): void {
  known.set(answer, fingerprint);
}
