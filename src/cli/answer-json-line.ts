import type { Answer } from '../engine/index.js';
import { renderPlainText } from '../render/plain-text.js';

/** The stable line format that answer quality is measured through (see README). */
export function toJsonLine(query: string, answer: Answer): string {
  return JSON.stringify({
    query,
    kind: answer.kind,
    emergency: answer.emergency,
    risk: answer.risk,
    topicId: answer.topicId,
    title: answer.title,
    score: answer.score,
    alternatives: answer.alternatives,
    text: renderPlainText(answer),
  });
}
