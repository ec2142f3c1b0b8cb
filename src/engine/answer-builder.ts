import type { Contact, KnowledgePack, Topic } from '../knowledge/pack-types.js';
import { displayedQuote } from '../knowledge/quoted-answer.js';
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
const policeId = 'police-emergency';
const consultationLineIds = ['starting-point', 'derby-city-consultation-line'];
/** A question at least this close to one of a topic's specific questions gets that question's answer first. */
const specificQuestionSimilarity = 0.7;
/** Without a direct answer in the pack, a summary's first sentence up to this long leads instead. */
const longestLeadingSentence = 30;

/** What the matcher found besides the topic: the phrasing and the specific question closest to what was asked. */
export interface MatchDetail {
  closestPhrasing?: string;
  closestQuestion?: { index: number; similarity: number };
}
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

  forTopic(topic: Topic, score: number, alternatives: ScoredTopicLink[], context: AnswerContext, match: MatchDetail = {}): Answer {
    const contacts = this.contactsFor(this.lookUp(topic.contacts, this.pack.contacts), context);
    const directAnswer = this.directAnswerFor(topic, match);
    return {
      kind: 'answer',
      emergency: false,
      risk: 'none',
      topicId: topic.id,
      title: topic.title,
      score,
      ...(directAnswer ? { directAnswer } : {}),
      ...(match.closestPhrasing ? { matchedOn: match.closestPhrasing } : {}),
      summary: topic.summary,
      actions: [...topic.actions],
      details: [...(topic.details ?? [])],
      procedures: this.lookUp(topic.procedures, this.pack.procedures),
      contacts,
      callNow: this.callNow(contacts, context),
      reportingRoutes: this.lookUp(topic.reportingRoutes, this.pack.reportingRoutes),
      resources: this.lookUp(topic.resources, this.pack.resources),
      followUps: this.links(topic.followUps ?? []),
      alternatives,
      source: this.citation(topic.section),
      safetyLine,
      notices: [...this.notices],
    };
  }

  /**
   * The line shown first: the answer to the topic's specific question closest to what was asked
   * ("No. Nude or semi-nude images should not be viewed…"), else the topic's own direct answer, else
   * its summary's first sentence when that is short.
   */
  private directAnswerFor(topic: Topic, match: MatchDetail): string | undefined {
    const near = match.closestQuestion;
    const question = near && near.similarity >= specificQuestionSimilarity ? topic.questions?.[near.index] : undefined;
    if (question) return `${question.verdict ? `${question.verdict}. ` : ''}${displayedQuote(question.answer)}`;
    if (topic.directAnswer) return displayedQuote(topic.directAnswer);
    const first = /^.*?[.!?](?=\s|$)/.exec(topic.summary)?.[0] ?? topic.summary;
    return first.split(/\s+/).length <= longestLeadingSentence ? first : undefined;
  }

  /**
   * 999 first, then the guidance for what the question is about (or the immediate-risk topic when
   * nothing more specific fits), so the practitioner knows what to do once the child is safe.
   */
  emergency(related: Topic | undefined, score: number, context: AnswerContext, reason?: string): Answer {
    const immediateRisk = this.pack.topicsById.get('immediate-risk');
    const specific = related !== undefined && related.id !== immediateRisk?.id;
    const topic = related ?? immediateRisk;
    const base = topic ? this.forTopic(topic, score, [], context) : this.safety(context);
    const police = this.pack.contacts.get(policeId);
    const laterActions = base.actions.filter((action) => !/\b999\b/.test(action));
    const followUps = base.followUps.filter((link) => link.id !== immediateRisk?.id);
    if (specific && immediateRisk) followUps.unshift({ id: immediateRisk.id, title: immediateRisk.title });
    const { directAnswer: _generalLine, ...rest } = base;
    return {
      ...rest,
      kind: 'emergency',
      emergency: true,
      risk: 'emergency',
      ...(reason ? { riskReason: reason } : {}),
      // "Call 999 now" leads the card already; the title says what comes once the child is safe.
      title: specific ? `Once the child is safe: ${related.title}` : 'A child may be at immediate risk of harm',
      summary: `If the child is at immediate risk of harm the practitioner must contact the Police on 999.${
        specific ? ` Once the child is safe: ${related.summary}` : ''
      }`,
      ...(specific && base.directAnswer ? { directAnswer: base.directAnswer } : {}),
      actions: [emergencyAction, ...laterActions],
      contacts: police ? [police, ...base.contacts.filter((contact) => contact.id !== police.id)] : base.contacts,
      followUps: followUps.slice(0, 4),
    };
  }

  help(context: AnswerContext = {}): Answer {
    const contacts = this.safetyContacts(context);
    return {
      ...this.generic(),
      kind: 'help',
      title: 'Safeguarding Assistant: what I can help with',
      directAnswer: "Tell me in your own words what has happened, or what you want to know, about a child's online harm.",
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
      callNow: this.callNow(contacts, context),
      followUps: this.links(helpStarterTopicIds).slice(0, 4),
    };
  }

  /**
   * No answer. Two kinds, so a worried practitioner can tell them apart: a question outside the
   * bot's subject is told what the bot is for and where else to ask; a concern the bot could not
   * match is offered the guided triage, the consultation lines and 999.
   */
  fallback(
    alternatives: ScoredTopicLink[],
    context: AnswerContext = {},
    declined: 'off-topic' | 'unmatched-concern' = 'unmatched-concern',
  ): Answer {
    const contacts = this.safetyContacts(context);
    const common = { ...this.generic(), kind: 'fallback' as const, declined, contacts, alternatives };
    if (declined === 'off-topic') {
      return {
        ...common,
        // "Did you mean" would blur "not my subject" into "I did not understand you".
        alternatives: [],
        title: "That's outside what I can help with",
        directAnswer: 'I only answer questions about keeping children safe from online harm, from the Derby and Derbyshire procedure.',
        summary:
          'I answer from the Derby and Derbyshire procedure "Safeguarding Children From Online Harms" and nothing else. For IT, HR, pay, bookings or other work questions, ask the people who look after them.',
        // Short enough that all three show before "More": the third is the one a worried practitioner needs.
        actions: [
          'IT, email or passwords: ask your IT service desk.',
          'HR, pay or leave: ask your HR team or your manager.',
          'Worried about a child? Tell me what happened in your own words, or choose "I have a concern".',
        ],
        followUps: this.links(helpStarterTopicIds).slice(0, 4),
      };
    }
    return {
      ...common,
      title: "I couldn't match that to the procedure",
      directAnswer: 'Answer four quick questions and I will show the steps the procedure gives, or talk to someone who can advise.',
      summary:
        'I could not match your question to a part of the procedure "Safeguarding Children From Online Harms". Try other words, use the guided questions, or talk to someone who can advise.',
      actions: [
        'Choose "I have a concern" for four quick questions, buttons only.',
        'Talk to your designated or named safeguarding professional, or call the consultation line for your area.',
        'The Professionals Online Safety Helpline can help anyone working with children with any online safety issue.',
      ],
      callNow: this.callNow(contacts, context),
      followUps: alternatives.length > 0 ? [] : this.links(helpStarterTopicIds).slice(0, 4),
    };
  }

  clarify(alternatives: ScoredTopicLink[], context: AnswerContext = {}): Answer {
    const contacts = this.safetyContacts(context);
    return {
      ...this.generic(),
      kind: 'clarify',
      title: 'Did you mean one of these?',
      directAnswer: 'Your question could fit more than one part of the procedure. Choose the closest, or ask again in other words.',
      summary: 'Your question could fit more than one part of the procedure. Choose the closest, or ask again in other words.',
      actions: [],
      contacts,
      callNow: this.callNow(contacts, context),
      alternatives,
      score: alternatives[0]?.score ?? 0,
    };
  }

  /** The reply when something inside the bot fails: 999 and the people who can advise. */
  safety(context: AnswerContext = {}): Answer {
    const contacts = this.safetyContacts(context);
    return {
      ...this.generic(),
      kind: 'fallback',
      emergency: false,
      title: 'Sorry, something went wrong on my side',
      directAnswer: 'I could not answer just now. If a child is at immediate risk of harm, contact the Police on 999.',
      summary:
        'I could not answer just now. If a child is at immediate risk of harm, contact the Police on 999. For advice, use the contacts below.',
      actions: ['For advice, talk to your designated or named safeguarding professional, or call the consultation line for your area.'],
      contacts,
      callNow: this.callNow(contacts, context),
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
      callNow: [],
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
  private safetyContacts(context: AnswerContext): ContactView[] {
    return this.contactsFor(this.contacts([policeId, ...adviceContactIds]), context);
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
   * Contacts in the order to try them, with whether each is open now when it publishes hours: 999
   * first when it is listed, then the practitioner's own consultation line (as promised when they
   * chose their area), then the rest in the topic's order.
   */
  private contactsFor(contacts: Contact[], context: AnswerContext): ContactView[] {
    const now = context.now;
    const viewed: ContactView[] = contacts.map((contact) =>
      now && contact.hours ? { ...contact, status: openingStatus(contact.hours, now, this.pack.identity.timeZone) } : contact,
    );
    const police = viewed.filter((contact) => contact.id === policeId);
    const own = context.area ? viewed.filter((contact) => consultationLineIds.includes(contact.id) && contact.area === context.area) : [];
    return [...police, ...own, ...viewed.filter((contact) => !police.includes(contact) && !own.includes(contact))];
  }

  /**
   * The one number to ring now: the practitioner's own consultation line; both lines while their
   * area is not known; the topic's first number when it lists no consultation line; and the
   * consultation lines when it lists no number at all.
   */
  private callNow(contacts: readonly ContactView[], context: AnswerContext): ContactView[] {
    const lines = (from: readonly ContactView[]) => {
      const all = from.filter((contact) => consultationLineIds.includes(contact.id));
      const own = all.filter((contact) => contact.area === context.area);
      return own.length > 0 ? own : all;
    };
    const listed = lines(contacts);
    if (listed.length > 0) return listed;
    const first = contacts.find((contact) => contact.phone && contact.id !== policeId);
    if (first) return [first];
    return lines(this.contactsFor(this.contacts(consultationLineIds), context));
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
