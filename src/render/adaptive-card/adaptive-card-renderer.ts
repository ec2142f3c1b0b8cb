import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { cardActions } from '../../conversation/card-action.js';
import type { Reply } from '../../conversation/reply.js';
import type { ContactView } from '../../engine/index.js';
import type { ContactGroup } from '../../knowledge/pack-types.js';
import { citationText, contactTitle, emergencyBanner, procedureKindLabel } from '../labels.js';
import { emailLink, escapeCardText as esc, phoneLink } from './card-text.js';
import { addLeadElement } from './lead-cards.js';

export const defaultCardsDirectory = resolve(fileURLToPath(new URL('../../../cards', import.meta.url)));

export type CardTemplateName =
  | 'answer'
  | 'emergency'
  | 'clarify'
  | 'fallback'
  | 'welcome'
  | 'notice'
  | 'attachment-warning'
  | 'contacts'
  | 'triage';
export const cardTemplateNames: CardTemplateName[] = [
  'answer',
  'emergency',
  'clarify',
  'fallback',
  'welcome',
  'notice',
  'attachment-warning',
  'contacts',
  'triage',
];

export interface CardRenderOptions {
  /** Link that opens a 1:1 chat with the bot, offered with the privacy warning. */
  privateChatUrl?: string;
}

export interface RenderedCard {
  template: CardTemplateName;
  card: Record<string, unknown>;
  /** Short plain text for notifications and screen readers. */
  summary: string;
}

const contactGroupHeadings: Record<ContactGroup, string> = {
  emergency: 'Emergency',
  advice: 'Advice',
  helpline: 'Helplines',
  police: 'Police teams',
};

/**
 * Renders replies as Adaptive Cards (schema 1.5, as Teams renders it) from the JSON templates in
 * cards/, bound with adaptivecards-templating. All text from the knowledge pack is escaped before
 * binding; no user text is ever put in a card.
 */
export class AdaptiveCardRenderer {
  private readonly templates = new Map<CardTemplateName, ACData.Template>();

  constructor(
    cardsDirectory: string = defaultCardsDirectory,
    private readonly procedureUrl: string | undefined = undefined,
  ) {
    for (const name of cardTemplateNames) {
      this.templates.set(name, new ACData.Template(JSON.parse(readFileSync(join(cardsDirectory, `${name}.json`), 'utf8'))));
    }
  }

  render(reply: Reply, options: CardRenderOptions = {}): RenderedCard {
    const template = chooseTemplate(reply);
    const data = this.viewModel(reply, options);
    const card = this.templates.get(template)!.expand({ $root: data }) as Record<string, unknown>;
    if (reply.lead) addLeadElement(card, reply.lead);
    return { template, card, summary: shortText(reply) };
  }

  private viewModel(reply: Reply, options: CardRenderOptions): Record<string, unknown> {
    const { answer } = reply;
    const topicId = answer.topicId ?? '';
    return {
      speak: shortText(reply),
      emergencyHeadline: 'Call 999 now',
      emergencyText: emergencyBanner.replace(/^CALL 999 NOW /, 'Call the Police on 999 '),
      notices: answer.notices.map((text) => ({ text: esc(`Note: ${text}`) })),
      hasPrivacyWarning: reply.privacyWarning,
      privacyTitle: 'This is a shared space',
      privacyText: esc(
        "Please don't post a child's name or other personal details here. I have not repeated anything from your message. For guidance about a particular child, continue in a private chat with me.",
      ),
      privateChatUrl: reply.privacyWarning ? (options.privateChatUrl ?? '') : '',
      title: esc(answer.title),
      summary: esc(answer.summary),
      actions: answer.actions.map((text, index) => ({ number: index + 1, text: esc(text) })),
      details: answer.details.map((text) => ({ text: esc(text) })),
      procedures: answer.procedures.map((procedure) => ({
        name: esc(procedure.name),
        label: procedureKindLabel(procedure),
        appliesWhen: esc(procedure.appliesWhen),
      })),
      contacts: answer.contacts.map(contactView),
      contactGroups: groupContacts(answer.contacts),
      routes: answer.reportingRoutes.map((route) => ({ name: esc(route.name), useFor: esc(route.useFor) })),
      resources: answer.resources.map((resource) => ({ name: esc(resource.name), about: esc(resource.about) })),
      followUps: answer.followUps.map((link) => ({ title: buttonTitle(link.title), data: cardActions.topic(link.id) })),
      alternatives: answer.alternatives.map((link) => ({ title: buttonTitle(link.title), data: cardActions.topic(link.id) })),
      showFeedback: reply.showFeedback && topicId !== '',
      helpfulData: cardActions.feedback(topicId || 'none', 'helpful'),
      notHelpfulData: cardActions.feedback(topicId || 'none', 'not-helpful'),
      attachmentTitle: "I haven't opened your file or image",
      attachmentText: esc(
        'I never open, download or forward files or images. If it shows a child, do not view, copy, print, share, store or save it, and do not ask a child to send it: doing so could constitute an offence. Here is what the procedure says to do instead.',
      ),
      askArea: Boolean(reply.askArea),
      areaText: reply.currentArea
        ? `You work in ${reply.currentArea === 'derby-city' ? 'Derby City' : 'Derbyshire'}: its consultation line is shown first. Change it here.`
        : "Which area do you work in? I'll show your consultation line first.",
      areaCityData: cardActions.area('derby-city'),
      areaCountyData: cardActions.area('derbyshire'),
      triageStartData: cardActions.triage({}),
      ...triageViewModel(reply),
      procedureUrl: this.procedureUrl ?? '',
      safetyLine: esc(answer.safetyLine),
      citation: esc(citationText(answer.source)),
    };
  }
}

function triageViewModel(reply: Reply): Record<string, unknown> {
  const view = reply.triage;
  if (!view) return { emergencyFirst: false, isSummary: false, chosen: [], choices: [], hasBack: false };
  return {
    emergencyFirst: view.emergencyFirst,
    isSummary: view.step === 'summary',
    progress: view.step === 'summary' ? 'Summary of what to do' : `Step ${view.stepNumber} of 4`,
    question: esc(view.question),
    chosen: view.chosen.map((text) => ({ text: esc(text) })),
    choices: view.choices.map((choice) => ({
      title: buttonTitle(choice.label),
      data: cardActions.triage(choice.state),
      style: choice.emphasis === 'danger' ? 'destructive' : 'default',
    })),
    hasBack: view.back !== undefined,
    backData: cardActions.triage(view.back ?? {}),
    restartData: cardActions.triage(view.restart),
  };
}

export function chooseTemplate(reply: Reply): CardTemplateName {
  if (reply.card !== 'answer') return reply.card;
  switch (reply.answer.kind) {
    case 'emergency':
      return 'emergency';
    case 'clarify':
      return 'clarify';
    case 'fallback':
      return 'fallback';
    case 'help':
      return 'welcome';
    case 'answer':
      return reply.answer.topicId === 'who-to-call' ? 'contacts' : 'answer';
  }
}

function contactView(contact: ContactView): Record<string, string> {
  const reach = [contact.phone ? phoneLink(contact.phone) : '', contact.email ? emailLink(contact.email) : ''].filter(Boolean).join(' · ');
  return {
    name: esc(contactTitle(contact)),
    reach,
    hours: contact.hoursAsPublished ? esc(`Hours: ${contact.hoursAsPublished}`) : '',
    status: contact.status ? esc(contact.status.text) : '',
    statusColor: contact.status?.open ? 'Good' : 'Attention',
    audience: esc(contact.for),
  };
}

function groupContacts(contacts: readonly ContactView[]): Array<{ heading: string; contacts: Record<string, string>[] }> {
  const order: ContactGroup[] = ['emergency', 'advice', 'helpline', 'police'];
  return order
    .map((group) => ({
      heading: contactGroupHeadings[group],
      contacts: contacts.filter((contact) => contact.group === group).map(contactView),
    }))
    .filter((group) => group.contacts.length > 0);
}

/** Button titles stay short enough for every client; the full title is on the next card. */
function buttonTitle(title: string): string {
  return title.length <= 75 ? title : `${title.slice(0, 72).trimEnd()}...`;
}

/** One or two sentences of plain text: the notification preview and what a screen reader announces first. */
export function shortText(reply: Reply): string {
  const { answer } = reply;
  if (answer.emergency) return `Call 999 now if a child is at immediate risk of harm. ${answer.title}`;
  if (reply.notice) return `${reply.notice.title}. ${answer.safetyLine}`;
  return `${answer.title}. ${answer.safetyLine}`;
}
