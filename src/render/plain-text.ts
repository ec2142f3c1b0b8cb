import type { Answer } from '../engine/answer-model.js';
import { answerLayout, callNowText } from './answer-layout.js';
import {
  citationText,
  contactReach,
  contactTitle,
  emergencyBanner,
  headings,
  matchedOnText,
  possibleDangerQuestion,
  procedureKindLabel,
} from './labels.js';

/**
 * The whole reply as plain text: for the terminal, notifications, screen readers and as the
 * fallback text of cards. It follows the cards' layout (what to do first, then "More") and, having
 * nothing to expand, shows everything a card holds.
 */
export function renderPlainText(answer: Answer): string {
  const layout = answerLayout(answer);
  const blocks: string[] = [];
  if (answer.emergency) blocks.push(answer.riskReason ? `${emergencyBanner}\nWhy: ${answer.riskReason}` : emergencyBanner);
  if (layout.asksAboutDanger) blocks.push(possibleDangerQuestion);
  blocks.push([answer.title, layout.directAnswer].filter(Boolean).join('\n'));
  blocks.push(numbered(headings.actions, layout.firstSteps, 1));
  if (layout.callNow) blocks.push(callNowText(layout.callNow, (phone) => phone));
  blocks.push(
    bulleted(
      headings.alternatives,
      answer.alternatives.map((link) => link.title),
    ),
  );

  const more: string[] = [];
  if (answer.emergency && answer.directAnswer) more.push(answer.directAnswer);
  if (answer.summary && answer.summary !== layout.directAnswer) more.push(answer.summary);
  more.push(numbered(headings.laterSteps, layout.laterSteps, layout.firstSteps.length + 1));
  more.push(bulleted(headings.details, answer.details));
  more.push(
    bulleted(
      headings.procedures,
      answer.procedures.map((procedure) => `${procedure.name} (${procedureKindLabel(procedure)}): ${procedure.appliesWhen}`),
    ),
  );
  more.push(
    bulleted(
      headings.contacts,
      answer.contacts.map((contact) => {
        const reach = contactReach(contact);
        return `${contactTitle(contact)}${reach ? `: ${reach}` : ''}. ${contact.for}`;
      }),
    ),
  );
  more.push(
    bulleted(
      headings.reportingRoutes,
      answer.reportingRoutes.map((route) => `${route.name}: ${route.useFor}`),
    ),
  );
  more.push(
    bulleted(
      headings.resources,
      answer.resources.map((resource) => `${resource.name}: ${resource.about}`),
    ),
  );
  more.push(
    bulleted(
      headings.followUps,
      answer.followUps.map((link) => link.title),
    ),
  );
  for (const notice of answer.notices) more.push(`Note: ${notice}`);
  if (answer.matchedOn) more.push(matchedOnText(answer.matchedOn));
  const moreText = more.filter(Boolean).join('\n\n');
  if (moreText) blocks.push(`${headings.more}:\n${moreText}`);
  blocks.push(`${answer.safetyLine}\n${citationText(answer.source)}`);
  return blocks.filter(Boolean).join('\n\n');
}

function numbered(heading: string, items: readonly string[], from: number): string {
  if (items.length === 0) return '';
  return `${heading}:\n${items.map((item, index) => `${index + from}. ${item}`).join('\n')}`;
}

function bulleted(heading: string, items: readonly string[]): string {
  if (items.length === 0) return '';
  return `${heading}:\n${items.map((item) => `- ${item}`).join('\n')}`;
}
