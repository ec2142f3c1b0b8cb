import { createEngine, type Engine } from '../engine/index.js';
import { loadKnowledgePack } from '../knowledge/load-knowledge-pack.js';
import { KnowledgePackError } from '../knowledge/pack-problem.js';

/**
 * Loads and checks the knowledge pack and builds the engine for a command-line tool. A broken
 * pack ends the process with the editor-facing list of problems on standard error.
 */
export function loadEngineOrExit(): Engine {
  try {
    const { pack, warnings } = loadKnowledgePack(process.env.KNOWLEDGE_DIR || undefined);
    for (const warning of warnings) process.stderr.write(`Warning: ${warning}\n`);
    return createEngine(pack, { notices: warnings });
  } catch (error) {
    if (error instanceof KnowledgePackError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
