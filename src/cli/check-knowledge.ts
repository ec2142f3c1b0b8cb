import { loadKnowledgePack } from '../knowledge/load-knowledge-pack.js';
import { KnowledgePackError } from '../knowledge/pack-problem.js';

/** `npm run check:knowledge`: checks the pack the way start-up does and says what to fix. */
try {
  const { pack, warnings } = loadKnowledgePack(process.env.KNOWLEDGE_DIR || undefined, { cache: false });
  for (const warning of warnings) console.warn(`Warning: ${warning}`);
  const { source } = pack.identity;
  console.log(
    `Knowledge pack ${pack.identity.packVersion} is valid: ${pack.topics.length} topics, ${pack.contacts.size} contacts, ` +
      `${pack.procedures.size} procedures and guidance, ${pack.reportingRoutes.size} reporting routes, ${pack.resources.size} resources. ` +
      `Source: ${source.title} ${source.version} (last updated ${source.lastUpdated}); review by ${pack.identity.reviewBy}.`,
  );
} catch (error) {
  if (!(error instanceof KnowledgePackError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
