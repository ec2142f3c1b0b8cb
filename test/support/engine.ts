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
