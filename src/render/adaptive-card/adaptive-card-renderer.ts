import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { cardActions } from '../../conversation/card-action.js';
import type { Reply } from '../../conversation/reply.js';
import type { ContactView } from '../../engine/index.js';
import type { ContactGroup } from '../../knowledge/pack-types.js';
import { answerFingerprint } from '../answer-fingerprint.js';
import { type AnswerLayout, answerLayout, callNowText } from '../answer-layout.js';
import {
  citationText,
  contactHours,
  contactTitle,
  headings,
  matchedOnText,
  possibleDangerQuestion,
  procedureKindLabel,
} from '../labels.js';
import { emailLink, escapeCardText as esc, phoneLink } from './card-text.js';
import { addLeadElement } from './lead-cards.js';

export const defaultCardsDirectory = resolve(fileURLToPath(new URL('../../../cards', import.meta.url)));

export type CardTemplateName = 'answer' | 'emergency' | 'clarify' | 'fallback' | 'welcome' | 'notice' | 'attachment-warning' | 'triage';
export const cardTemplateNames: CardTemplateName[] = [
  'answer',
  'emergency',
  'clarify',
  'fallback',
  'welcome',
  'notice',
  'attachment-warning',
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

/**
 * Stands in for a reply's ref while its card is expanded: a valid ref (8 to 32 lower-case letters
 * and digits) that random refs (12 hex digits) can never be, and that no text of the pack contains.
 */
const refStandIn = 'refstandinforthereply';
/** How many expanded cards are kept (each a few KB): every topic in each area and opening state, with room to spare. */
const expandedCardsKept = 500;

const contactGroupHeadings: Record<ContactGroup, string> = {
  emergency: 'Emergency',
  advice: 'Advice',
  helpline: 'Helplines',
  police: 'Police teams',
};

/**
 * Renders replies as Adaptive Cards (schema 1.5, as Teams renders it) from the JSON templates in
 * cards/, bound with adaptivecards-templating, in the layout every renderer shares (answer-layout.ts):
 * the line that answers the question, at most three steps and the one number to ring now, with
 * everything else behind "More" (an Action.ShowCard). All text from the knowledge pack is escaped
 * before binding; no user text is ever put in a card.
 */
export class AdaptiveCardRenderer {
  private readonly templates = new Map<CardTemplateName, ACData.Template>();
  /** Cards already expanded, by template and view model (see render). */
  private readonly expanded = new Map<string, SharedCard>();

  constructor(
    cardsDirectory: string = defaultCardsDirectory,
    private readonly procedureUrl: string | undefined = undefined,
  ) {
    for (const name of cardTemplateNames) {
      this.templates.set(name, new ACData.Template(JSON.parse(readFileSync(join(cardsDirectory, `${name}.json`), 'utf8'))));
    }
  }

  /**
   * Expanding a template is most of the cost of a reply (adaptive-expressions evaluates every
   * binding), while many replies are the same card: a card is a function of the reply and the
   * options alone, so one already expanded for the same reply is reused. The reply's own ref (on its
   * buttons) is the only part that differs from one reply to the next; the card is built with a
   * stand-in and the real ref is put in its place in the JSON text of the card.
   */
  render(reply: Reply, options: CardRenderOptions = {}): RenderedCard {
    const template = chooseTemplate(reply);
    const named = reply.ref ? { ...reply, ref: refStandIn } : reply;
    // The view model is a function of the reply and the options alone (no clock, no randomness), so they are the key.
    const key = `${template}\n${options.privateChatUrl ?? ''}\n${answerFingerprint(reply.answer)}\n${JSON.stringify({ ...named, answer: undefined })}`;
    let expanded = this.expanded.get(key);
    if (expanded === undefined) {
      expanded = sharedCard(this.templates.get(template)!.expand({ $root: this.viewModel(named, options) }));
      if (this.expanded.size >= expandedCardsKept) this.expanded.delete(this.expanded.keys().next().value!);
      this.expanded.set(key, expanded);
    }
    let card = reply.ref ? withRef(expanded.card, expanded.holdingRef, reply.ref) : expanded.card;
    if (reply.lead) {
      // The lead's element goes into the body and its mentions beside it: on copies, never on the card kept for others.
      card = { ...card, body: [...(card.body as unknown[])] };
      addLeadElement(card, reply.lead);
    }
    return { template, card, summary: shortText(reply) };
  }

  private viewModel(reply: Reply, options: CardRenderOptions): Record<string, unknown> {
    const { answer } = reply;
    const layout = answerLayout(answer);
    const topicId = answer.topicId ?? '';
    const risk = answer.emergency ? 'emergency' : answer.risk === 'possible' ? 'possible' : undefined;
    const notice = reply.card === 'notice' ? reply.notice : undefined;
    return {
      speak: shortText(reply),
      asksAboutDanger: layout.asksAboutDanger,
      dangerQuestion: possibleDangerQuestion,
      yesNowData: cardActions.dangerNow(answer.topicId ?? undefined, reply.ref),
      riskReasonText: answer.riskReason ? esc(`Why: ${answer.riskReason}`) : '',
      hasPrivacyWarning: reply.privacyWarning,
      privacyTitle: 'This is a shared space',
      privacyText: esc(
        "Please don't post a child's name or other personal details here. I have not repeated anything from your message. For guidance about a particular child, continue in a private chat with me.",
      ),
      privateChatUrl: reply.privacyWarning ? (options.privateChatUrl ?? '') : '',
      title: esc(notice?.title ?? answer.title),
      directAnswer: esc(notice?.text ?? layout.directAnswer ?? ''),
      stepsText: numberedList(layout.firstSteps, 1),
      callNowText: layout.callNow ? callNowText(layout.callNow, phoneLink, esc) : '',
      alternatives: answer.alternatives.map((link) => ({ title: buttonTitle(link.title), data: cardActions.topic(link.id) })),
      moreBlocks: moreBlocks(reply, layout).map((text) => ({ text })),
      followUps: answer.followUps.map((link) => ({ title: buttonTitle(link.title), data: cardActions.topic(link.id) })),
      showFeedback: reply.showFeedback && topicId !== '',
      helpfulData: cardActions.feedback(topicId || 'none', 'helpful', reply.ref, risk),
      notHelpfulData: cardActions.feedback(topicId || 'none', 'not-helpful', reply.ref, risk),
      offerTriage: answer.declined !== undefined,
      offerHelp: answer.declined === 'off-topic',
      helpData: cardActions.help(),
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

/**
 * Everything behind "More", as markdown sections (one TextBlock each, so the card stays small):
 * the summary, the later steps, key points, procedures, every contact, where to report, resources,
 * why this answer. Related questions, the area choice and the source follow as their own elements.
 */
function moreBlocks(reply: Reply, layout: AnswerLayout): string[] {
  const { answer } = reply;
  const blocks: string[] = [];
  const section = (heading: string, body: string) => (body ? blocks.push(`**${heading}**\n\n${body}`) : 0);
  if (reply.card === 'welcome') section('How to use me', bulletList(answer.actions));
  if (answer.emergency && answer.directAnswer) blocks.push(esc(answer.directAnswer));
  if (answer.summary && answer.summary !== layout.directAnswer && reply.card !== 'notice') blocks.push(esc(answer.summary));
  section(headings.laterSteps, numberedList(layout.laterSteps, layout.firstSteps.length + 1));
  section(headings.details, bulletList(answer.details));
  section(
    headings.procedures,
    bulletList(answer.procedures.map((procedure) => `${procedure.name} (${procedureKindLabel(procedure)}): ${procedure.appliesWhen}`)),
  );
  if (reply.card === 'answer' && answer.topicId === 'who-to-call') {
    for (const group of ['emergency', 'advice', 'helpline', 'police'] as ContactGroup[]) {
      section(contactGroupHeadings[group], contactList(answer.contacts.filter((contact) => contact.group === group)));
    }
  } else {
    section(headings.contacts, contactList(answer.contacts));
  }
  section(headings.reportingRoutes, bulletList(answer.reportingRoutes.map((route) => `${route.name}: ${route.useFor}`)));
  section(headings.resources, bulletList(answer.resources.map((resource) => `${resource.name}: ${resource.about}`)));
  for (const note of answer.notices) blocks.push(esc(`Note: ${note}`));
  if (answer.matchedOn) blocks.push(esc(matchedOnText(answer.matchedOn)));
  if (answer.followUps.length > 0) blocks.push(`**${headings.followUps}**`);
  return blocks;
}

/** Items escaped one by one, then listed: nothing in an item can start a list or a heading of its own. */
function numberedList(items: readonly string[], from: number): string {
  return items.map((item, index) => `${index + from}. ${esc(item)}`).join('\n');
}

function bulletList(items: readonly string[]): string {
  return items.map((item) => `- ${esc(item)}`).join('\n');
}

/** Each contact on one line: name, number and email as links, hours with whether open now, and who it is for. */
function contactList(contacts: readonly ContactView[]): string {
  return contacts
    .map((contact) => {
      const reach = [
        contact.phone ? phoneLink(contact.phone) : '',
        contact.email ? emailLink(contact.email) : '',
        esc(contactHours(contact)),
      ]
        .filter(Boolean)
        .join(' · ');
      return `- **${esc(contactTitle(contact))}**${reach ? `: ${reach}` : ''}. ${esc(contact.for)}`;
    })
    .join('\n');
}

function triageViewModel(reply: Reply): Record<string, unknown> {
  const view = reply.triage;
  if (!view) return { emergencyFirst: false, isSummary: false, choices: [], hasBack: false };
  const summary = view.step === 'summary' ? reply.answer : undefined;
  const layout = summary ? answerLayout(summary) : undefined;
  return {
    emergencyFirst: view.emergencyFirst,
    isSummary: summary !== undefined,
    triageTitle: summary ? esc(summary.title) : 'I have a concern',
    progress: summary ? 'Summary of what to do' : `Step ${view.stepNumber} of 4`,
    chosenText: view.chosen.map((text) => esc(text)).join('\n\n'),
    question: esc(view.question),
    choices: view.choices.map((choice) => ({
      title: buttonTitle(choice.label),
      data: cardActions.triage(choice.state),
      style: choice.emphasis === 'danger' ? 'destructive' : 'default',
    })),
    checklistText: layout ? layout.firstSteps.map((step) => `☐ ${esc(step)}`).join('\n\n') : '',
    ...(summary && layout
      ? {
          callNowText: layout.callNow ? callNowText(layout.callNow, phoneLink, esc) : '',
          moreBlocks: triageMore(view, summary, layout).map((text) => ({ text })),
        }
      : {}),
    hasBack: view.back !== undefined,
    backData: cardActions.triage(view.back ?? {}),
    restartData: cardActions.triage(view.restart),
  };
}

/** Behind "More" on the summary: the answers given, every step, procedures, contacts, routes, and the whole summary as plain lines to copy into a record. */
function triageMore(view: NonNullable<Reply['triage']>, summary: Reply['answer'], layout: AnswerLayout): string[] {
  const blocks: string[] = [];
  const section = (heading: string, body: string) => (body ? blocks.push(`**${heading}**\n\n${body}`) : 0);
  section('Your answers', bulletList(view.chosen));
  section(headings.laterSteps, layout.laterSteps.map((step) => `☐ ${esc(step)}`).join('\n\n'));
  section(headings.procedures, bulletList(summary.procedures.map((procedure) => procedure.name)));
  section(headings.contacts, contactList(summary.contacts));
  section(headings.reportingRoutes, bulletList(summary.reportingRoutes.map((route) => `${route.name}: ${route.useFor}`)));
  const record = [
    'I have a concern: summary of what to do',
    ...view.chosen,
    ...summary.actions.map((action, index) => `${index + 1}. ${action}`),
    `Procedures: ${summary.procedures.map((procedure) => procedure.name).join('; ')}`,
    citationText(summary.source),
  ];
  section('For your record (copy and paste)', record.map((line) => esc(line)).join('\n\n'));
  return blocks;
}

/**
 * An expanded card kept for every reply that draws the same: frozen, since each of those replies
 * carries it (sharing whatever does not hold the ref), and with the parts that hold the ref stand-in
 * marked, so only those are copied to put a reply's own ref in.
 */
interface SharedCard {
  card: Record<string, unknown>;
  holdingRef: ReadonlySet<object>;
}

function sharedCard(card: Record<string, unknown>): SharedCard {
  const holdingRef = new Set<object>();
  const mark = (node: unknown): boolean => {
    if (typeof node === 'string') return node.includes(refStandIn);
    if (node === null || typeof node !== 'object') return false;
    let holds = false;
    for (const child of Object.values(node)) if (mark(child)) holds = true;
    if (holds) holdingRef.add(node);
    Object.freeze(node);
    return holds;
  };
  mark(card);
  return { card, holdingRef };
}

/** The card with the reply's ref in place of the stand-in: copies along the paths that hold it, the rest shared. */
function withRef<T>(node: T, holdingRef: ReadonlySet<object>, ref: string): T {
  if (typeof node === 'string') return (node.includes(refStandIn) ? node.replaceAll(refStandIn, ref) : node) as T;
  if (node === null || typeof node !== 'object' || !holdingRef.has(node)) return node;
  if (Array.isArray(node)) return node.map((child) => withRef(child, holdingRef, ref)) as T;
  const copy: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(node)) copy[name] = withRef(child, holdingRef, ref);
  return copy as T;
}

export function chooseTemplate(reply: Reply): CardTemplateName {
  // Teams shows "More" in the card itself; a "more" reply (Slack's button) is drawn as the answer it belongs to.
  if (reply.card !== 'answer' && reply.card !== 'more') return reply.card;
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
      return 'answer';
  }
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
