import type { Answer } from '../engine/answer-model.js';
import {
  citationText,
  contactReach,
  contactTitle,
  emergencyBanner,
  headings,
  possibleDangerQuestion,
  procedureKindLabel,
} from './labels.js';

/**
 * The whole reply as plain text: for the terminal, notifications, screen readers and as the
 * fallback text of cards. It shows everything a card shows.
 */
export function renderPlainText(answer: Answer): string {
  const blocks: string[] = [];
  if (answer.emergency) blocks.push(answer.riskReason ? `${emergencyBanner}\nWhy: ${answer.riskReason}` : emergencyBanner);
  if (answer.risk === 'possible') blocks.push(possibleDangerQuestion);
  for (const notice of answer.notices) blocks.push(`Note: ${notice}`);
  blocks.push([answer.title, answer.summary].filter(Boolean).join('\n'));
  blocks.push(numbered(headings.actions, answer.actions));
  blocks.push(bulleted(headings.details, answer.details));
  blocks.push(
    bulleted(
      headings.procedures,
      answer.procedures.map((procedure) => `${procedure.name} (${procedureKindLabel(procedure)}): ${procedure.appliesWhen}`),
    ),
  );
  blocks.push(
    bulleted(
      headings.contacts,
      answer.contacts.map((contact) => {
        const reach = contactReach(contact);
        return `${contactTitle(contact)}${reach ? `: ${reach}` : ''}. ${contact.for}`;
      }),
    ),
  );
  blocks.push(
    bulleted(
      headings.reportingRoutes,
      answer.reportingRoutes.map((route) => `${route.name}: ${route.useFor}`),
    ),
  );
  blocks.push(
    bulleted(
      headings.resources,
      answer.resources.map((resource) => `${resource.name}: ${resource.about}`),
    ),
  );
  blocks.push(
    bulleted(
      headings.alternatives,
      answer.alternatives.map((link) => link.title),
    ),
  );
  blocks.push(
    bulleted(
      headings.followUps,
      answer.followUps.map((link) => link.title),
    ),
  );
  blocks.push(`${answer.safetyLine}\n${citationText(answer.source)}`);
  return blocks.filter(Boolean).join('\n\n');
}

function numbered(heading: string, items: readonly string[]): string {
  if (items.length === 0) return '';
  return `${heading}:\n${items.map((item, index) => `${index + 1}. ${item}`).join('\n')}`;
}

function bulleted(heading: string, items: readonly string[]): string {
  if (items.length === 0) return '';
  return `${heading}:\n${items.map((item) => `- ${item}`).join('\n')}`;
}
