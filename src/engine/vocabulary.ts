import type { KnowledgePack } from '../knowledge/pack-types.js';
import { tokenise } from './text-normaliser.js';

/**
 * The words a misspelling can be corrected to: every word the pack uses except those found only
 * in practitioners' phrasings, which deliberately include typos ("imediate", "groomin") so that
 * they match; a typo must not become a word the corrector keeps.
 */
export function buildVocabulary(pack: KnowledgePack): Set<string> {
  const texts: string[] = [];
  for (const topic of pack.topics) {
    texts.push(topic.title, topic.summary, ...topic.actions, ...(topic.details ?? []), ...(topic.keywords ?? []));
  }
  for (const contact of pack.contacts.values()) texts.push(contact.name, contact.shortName ?? '', contact.for);
  for (const procedure of pack.procedures.values()) texts.push(procedure.name, procedure.appliesWhen);
  for (const route of pack.reportingRoutes.values()) texts.push(route.name, route.useFor);
  for (const resource of pack.resources.values()) texts.push(resource.name, resource.about);
  for (const entry of pack.synonyms) texts.push(entry.means, ...entry.words);
  const signals = pack.immediateRiskSignals;
  texts.push(...signals.negations, ...Object.values(signals.lists).flat());
  for (const signal of signals.signals) {
    texts.push(...(signal.any ?? []), ...(signal.unless ?? []));
    for (const group of signal.all ?? []) if (Array.isArray(group)) texts.push(...group);
  }
  const { smallTalk } = pack;
  texts.push(...smallTalk.greetings, ...smallTalk.helpRequests, ...smallTalk.thanks, ...smallTalk.startTriage);
  const vocabulary = new Set<string>();
  for (const text of texts) for (const token of tokenise(text)) vocabulary.add(token);
  return vocabulary;
}
