import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../engine/index.js';
import { loadKnowledgePack } from '../knowledge/load-knowledge-pack.js';
import { fingerprintAnswer } from '../render/answer-fingerprint.js';
import type { QuestionMessage, ReplyMessage } from './engine-thread.js';

/**
 * The engine thread's side (see EngineThread): the same pack, read the same way, answering one
 * question at a time. Nothing is logged here; a failure goes back to the main thread, which answers
 * the question itself.
 */
const { knowledgeDirectory } = workerData as { knowledgeDirectory: string | undefined };
const { pack, warnings } = loadKnowledgePack(knowledgeDirectory);
const engine = createEngine(pack, { notices: warnings });
engine.warmUp();

const port = parentPort!;
port.on('message', ({ id, question, context }: QuestionMessage) => {
  let reply: ReplyMessage;
  try {
    const answer = engine.answer(question, context);
    // The card caches' key, worked out here rather than on the main thread.
    reply = { id, answer, fingerprint: fingerprintAnswer(answer) };
  } catch {
    reply = { id, failed: true };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
