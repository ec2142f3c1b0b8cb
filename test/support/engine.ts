import { createEngine, type Engine } from '../../src/engine/index.js';
import { loadKnowledgePack } from '../../src/knowledge/load-knowledge-pack.js';

let shared: Engine | undefined;

/** The engine over the real knowledge pack, built once for all tests that only read from it. */
export function realEngine(): Engine {
  shared ??= createEngine(loadKnowledgePack(process.env.KNOWLEDGE_DIR || undefined).pack);
  return shared;
}

/** The real engine, except that answering a question throws: for testing that failures still reach the user safely. */
export function failingEngine(): Engine {
  return {
    ...realEngine(),
    answer() {
      throw new Error('engine failure for the test');
    },
  };
}

/**
 * The real engine, except that the question given is put in the possible band ("Is a child in
 * danger right now?"), as the learned risk model would for a message it is unsure of. The band
 * itself is the risk model's to decide and is tested there; this tests what the cards do with it.
 */
export function engineWithPossibleRisk(question: string): Engine {
  const engine = realEngine();
  return {
    ...engine,
    answer(text, context) {
      const answer = engine.answer(text, context);
      return text === question ? { ...answer, risk: 'possible', riskReason: 'These words weighed most: "tonight".' } : answer;
    },
  };
}
