import type { Contact, KnowledgePack, Topic } from '../knowledge/pack-types.js';
import {
  type Answer,
  type AnswerContext,
  type ContactView,
  type ScoredTopicLink,
  type SourceCitation,
  safetyLine,
  type TopicLink,
} from './answer-model.js';
import { openingStatus } from './opening-hours.js';

const emergencyAction = 'Call the Police on 999 now if the child is at immediate risk of harm.';
const adviceContactIds = [
  'designated-safeguarding-professional',
  'starting-point',
  'derby-city-consultation-line',
  'professionals-online-safety-helpline',
];
const helpStarterTopicIds = ['immediate-risk', 'who-to-call', 'nudes-sharing', 'making-a-referral', 'reporting-overview', 'grooming'];

/** Builds Answer models from topics; knows the pack, not how the question was matched. */
export class AnswerBuilder {
  private readonly notices: string[];

  constructor(
    private readonly pack: KnowledgePack,
    notices: readonly string[] = [],
  ) {
    this.notices = [...notices];
  }

  forTopic(topic: Topic, score: number, alternatives: ScoredTopicLink[], context: AnswerContext): Answer {
    const { contacts, notices } = this.contactsFor(this.lookUp(topic.contacts, this.pack.contacts), context);
    return {
      kind: 'answer',
      emergency: false,
      risk: 'none',
      topicId: topic.id,
      title: topic.title,
      score,
      summary: topic.summary,
      actions: [...topic.actions],
      details: [...(topic.details ?? [])],
      procedures: this.lookUp(topic.procedures, this.pack.procedures),
      contacts,
      reportingRoutes: this.lookUp(topic.reportingRoutes, this.pack.reportingRoutes),
      resources: this.lookUp(topic.resources, this.pack.resources),
      followUps: this.links(topic.followUps ?? []),
      alternatives,
      source: this.citation(topic.section),
      safetyLine,
      notices: [...this.notices, ...notices],
    };
  }

  /**
   * 999 first, then the guidance for what the question is about (or the immediate-risk topic when
   * nothing more specific fits), so the practitioner knows what to do once the child is safe.
   */
  emergency(related: Topic | undefined, score: number, context: AnswerContext, reason?: string): Answer {
    const immediateRisk = this.pack.topicsById.get('immediate-risk');
    const topic = related ?? immediateRisk;
    const base = topic ? this.forTopic(topic, score, [], context) : this.safety(context);
    const police = this.pack.contacts.get('police-emergency');
    const laterActions = base.actions.filter((action) => !/\b999\b/.test(action));
    const followUps = base.followUps.filter((link) => link.id !== 'immediate-risk');
    if (related && related.id !== 'immediate-risk' && immediateRisk)
      followUps.unshift({ id: immediateRisk.id, title: immediateRisk.title });
    return {
      ...base,
      kind: 'emergency',
      emergency: true,
      risk: 'emergency',
      ...(reason ? { riskReason: reason } : {}),
      title:
        related && related.id !== 'immediate-risk'
          ? `Call 999 now. Then: ${related.title}`
          : 'Call 999 now: a child may be at immediate risk',
      summary: `If the child is at immediate risk of harm the practitioner must contact the Police on 999.${
        related && related.id !== 'immediate-risk' ? ` Once the child is safe: ${related.summary}` : ''
      }`,
      actions: [emergencyAction, ...laterActions],
      contacts: police ? [police, ...base.contacts.filter((contact) => contact.id !== police.id)] : base.contacts,
      followUps: followUps.slice(0, 4),
    };
  }

  help(context: AnswerContext = {}): Answer {
    const { contacts, notices } = this.safetyContacts(context);
    return {
      ...this.generic(),
      kind: 'help',
      title: 'Safeguarding Assistant: what I can help with',
      summary:
        'Ask me, in your own words, what to do about a child\'s online harm and who to call. I answer from the Derby and Derbyshire procedure "Safeguarding Children From Online Harms": general guidance, not a decision about a particular child.',
      actions: [
        'If a child is at immediate risk of harm, call the Police on 999 first.',
        'Ask a question in plain words, for example: "a pupil has shared a nude image", "who do I call for advice", "how do I make a referral".',
        "Please don't include a child's name or other personal details, especially in a shared channel.",
      ],
      details: [
        'Examples: "adult messaging a 12 year old on Roblox", "sextortion", "county lines", "concern about a member of staff", "Starting Point opening hours", "report terrorist content".',
      ],
      contacts,
      notices: [...this.notices, ...notices],
      followUps: this.links(helpStarterTopicIds).slice(0, 4),
    };
  }

  fallback(alternatives: ScoredTopicLink[], context: AnswerContext = {}): Answer {
    const { contacts, notices } = this.safetyContacts(context);
    return {
      ...this.generic(),
      kind: 'fallback',
      title: "Sorry, I don't know the answer to that",
      summary:
        'I could not match your question to the procedure "Safeguarding Children From Online Harms". I only answer questions about keeping children safe from online harm. Try other words, or talk to someone who can advise.',
      actions: [
        'If a child is at immediate risk of harm, call the Police on 999.',
        'For advice on a concern, talk to your designated or named safeguarding professional, or call the consultation line for your area.',
        'The Professionals Online Safety Helpline can help anyone working with children with any online safety issue.',
      ],
      contacts,
      notices: [...this.notices, ...notices],
      alternatives,
      followUps: alternatives.length > 0 ? [] : this.links(helpStarterTopicIds).slice(0, 4),
    };
  }

  clarify(alternatives: ScoredTopicLink[]): Answer {
    return {
      ...this.generic(),
      kind: 'clarify',
      title: 'Did you mean one of these?',
      summary: 'Your question could fit more than one part of the procedure. Choose the closest, or ask again in other words.',
      actions: ['If a child is at immediate risk of harm, call the Police on 999.'],
      contacts: this.contacts(['police-emergency']),
      alternatives,
      score: alternatives[0]?.score ?? 0,
    };
  }

  /** The reply when something inside the bot fails: 999 and the people who can advise. */
  safety(context: AnswerContext = {}): Answer {
    const { contacts, notices } = this.safetyContacts(context);
    return {
      ...this.generic(),
      kind: 'fallback',
      emergency: false,
      title: 'Sorry, something went wrong on my side',
      summary:
        'I could not answer just now. If a child is at immediate risk of harm, contact the Police on 999. For advice, use the contacts below.',
      actions: [
        'If a child is at immediate risk of harm, call the Police on 999.',
        'For advice, talk to your designated or named safeguarding professional, or call the consultation line for your area.',
      ],
      contacts,
      notices: [...this.notices, ...notices],
    };
  }

  links(ids: readonly string[]): TopicLink[] {
    return ids.flatMap((id) => {
      const topic = this.pack.topicsById.get(id);
      return topic ? [{ id: topic.id, title: topic.title }] : [];
    });
  }

  private generic(): Answer {
    return {
      kind: 'fallback',
      emergency: false,
      risk: 'none',
      topicId: null,
      title: '',
      score: 0,
      summary: '',
      actions: [],
      details: [],
      procedures: [],
      contacts: [],
      reportingRoutes: [],
      resources: [],
      followUps: [],
      alternatives: [],
      source: this.citation(undefined),
      safetyLine,
      notices: [...this.notices],
    };
  }

  /** 999 and the people who can advise: on help, "I don't know" and failure replies alike. */
  private safetyContacts(context: AnswerContext): { contacts: ContactView[]; notices: string[] } {
    return this.contactsFor(this.contacts(['police-emergency', ...adviceContactIds]), context);
  }

  private contacts(ids: readonly string[]): Contact[] {
    return this.lookUp(ids, this.pack.contacts);
  }

  private lookUp<T>(ids: readonly string[] | undefined, from: ReadonlyMap<string, T>): T[] {
    return (ids ?? []).flatMap((id) => {
      const found = from.get(id);
      return found ? [found] : [];
    });
  }

  /**
   * Contacts in the order to try them: the practitioner's own area first, and, when a line with
   * published hours is closed now, 999 and the contacts without hours ahead of it, with a note.
   */
  private contactsFor(contacts: Contact[], context: AnswerContext): { contacts: ContactView[]; notices: string[] } {
    const ordered = this.orderForArea(contacts, context);
    if (!context.now) return { contacts: ordered, notices: [] };
    const now = context.now;
    const viewed: ContactView[] = ordered.map((contact) =>
      contact.hours ? { ...contact, status: openingStatus(contact.hours, now, this.pack.identity.timeZone) } : contact,
    );
    const closed = viewed.filter((contact) => contact.status && !contact.status.open);
    if (closed.length === 0) return { contacts: viewed, notices: [] };
    const police = this.pack.contacts.get('police-emergency');
    const available = viewed.filter((contact) => !closed.includes(contact) && contact.id !== police?.id);
    const reopens = closed[0]!.status!.text.replace(/^Closed, /, '');
    return {
      contacts: [...(police ? [police] : []), ...available, ...closed],
      notices: [
        `${closed.length > 1 ? 'The consultation lines are' : `${closed[0]!.name} is`} closed now (${reopens}). If a child is at immediate risk of harm, call 999. Until then, use the other contacts below.`,
      ],
    };
  }

  /** The practitioner's own consultation line before the other area's. */
  private orderForArea(contacts: Contact[], context: AnswerContext): Contact[] {
    if (!context.area) return contacts;
    const own = context.area;
    const other = own === 'derby-city' ? 'derbyshire' : 'derby-city';
    const firstOther = contacts.findIndex((contact) => contact.area === other);
    const ownIndex = contacts.findIndex((contact) => contact.area === own);
    if (firstOther < 0 || ownIndex < 0 || ownIndex < firstOther) return contacts;
    const reordered = [...contacts];
    const [ownContact] = reordered.splice(ownIndex, 1);
    reordered.splice(firstOther, 0, ownContact!);
    return reordered;
  }

  private citation(sectionId: string | undefined): SourceCitation {
    const { source } = this.pack.identity;
    return {
      title: source.title,
      publisher: source.publisher,
      version: source.version,
      lastUpdated: source.lastUpdated,
      lastUpdatedText: readableDate(source.lastUpdated),
      section: sectionId ? (this.pack.sections.get(sectionId)?.title ?? null) : null,
    };
  }
}

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function readableDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day} ${monthNames[(month ?? 1) - 1]} ${year}`;
}
