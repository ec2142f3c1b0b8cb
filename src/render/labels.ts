import type { ContactView, SourceCitation } from '../engine/answer-model.js';
import type { Contact, ContactArea, Procedure } from '../knowledge/pack-types.js';

/** Words every renderer uses, so Teams, Slack and plain text say the same thing. */
export const areaLabels: Record<ContactArea, string> = {
  'derby-city': 'Derby City',
  derbyshire: 'Derbyshire',
  national: 'National',
  'your-agency': 'Your agency',
};

export const headings = {
  actions: 'What to do',
  details: 'Key points',
  procedures: 'Procedures and guidance',
  contacts: 'Who to contact',
  reportingRoutes: 'Where to report',
  resources: 'Resources',
  followUps: 'Related questions',
  alternatives: 'Did you mean',
  laterSteps: 'Further steps',
  more: 'More',
} as const;

/** Why this answer, in the pack's words: the topic's own phrasing the question came closest to. */
export function matchedOnText(phrasing: string): string {
  return `Why this answer: your question was closest to "${phrasing}".`;
}

export const emergencyBanner = 'CALL 999 NOW if a child is at immediate risk of harm.';

/** What a reply in the possible band asks before anything else. */
export const possibleDangerQuestion = 'Is a child in danger right now? If so, call 999 now.';

export function procedureKindLabel(procedure: Procedure): string {
  return procedure.kind === 'procedure' ? 'DDSCP procedure' : 'Guidance';
}

/** "Starting Point Consultation and Advice Service for Professionals (Derbyshire)" */
export function contactTitle(contact: Contact): string {
  const area = contact.area === 'derby-city' || contact.area === 'derbyshire' ? ` (${areaLabels[contact.area]})` : '';
  return `${contact.name}${area}`;
}

/** Phone, email and published hours on one line, e.g. "01629 535 353 · Monday to Friday from 10am to 4pm (Open now, until 4pm)". */
export function contactReach(contact: ContactView): string {
  return [contact.phone, contact.email, contactHours(contact)].filter(Boolean).join(' · ');
}

/** The published hours, with whether the service is open now when that is known. */
export function contactHours(contact: ContactView): string {
  if (!contact.hoursAsPublished) return '';
  return contact.status ? `${contact.hoursAsPublished} (${contact.status.text})` : contact.hoursAsPublished;
}

export function citationText(source: SourceCitation): string {
  const section = source.section ? `, section "${source.section}"` : '';
  return `Source: ${source.title} (${source.publisher}), ${source.version}${section}, last updated ${source.lastUpdatedText}.`;
}
