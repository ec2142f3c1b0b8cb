import type { Contact, KnowledgePack, Topic, TriageChoices } from '../knowledge/pack-types.js';
import type { AnswerBuilder } from './answer-builder.js';
import type { Answer, AnswerContext } from './answer-model.js';

/**
 * The "I have a concern" triage. Its whole state is the answers so far, carried in the buttons'
 * payloads, so any instance of the bot can take the next step and nothing is kept on the server.
 */
export interface TriageState {
  /** Immediate risk: y or n. */
  r?: 'y' | 'n';
  /** Involves someone who works or volunteers with children: y or n. */
  s?: 'y' | 'n';
  /** What it is about: a choice id from triage.yaml. */
  a?: string;
  /** How serious: a choice id from triage.yaml. */
  l?: string;
}

export type TriageStepName = 'immediate-risk' | 'involves-staff' | 'about' | 'seriousness' | 'summary';

export interface TriageChoiceView {
  label: string;
  state: TriageState;
  emphasis?: 'danger';
}

export interface TriageView {
  step: TriageStepName;
  /** 1 to 4 for the questions, 5 for the summary. */
  stepNumber: number;
  state: TriageState;
  /** A child was said to be at immediate risk: 999 leads every step after. */
  emergencyFirst: boolean;
  question: string;
  choices: TriageChoiceView[];
  /** The answers so far, in words. */
  chosen: string[];
  back: TriageState | undefined;
  restart: TriageState;
  /** At the summary: actions as a checklist, numbers to ring, procedures, routes and the source. */
  summary: Answer | undefined;
}

const maxSummaryActions = 10;

export class Triage {
  constructor(
    private readonly pack: KnowledgePack,
    private readonly builder: AnswerBuilder,
  ) {}

  /** The step for a state, or undefined when the state names choices the pack does not have. */
  view(state: TriageState, context: AnswerContext): TriageView | undefined {
    const { triage } = this.pack;
    if (state.a !== undefined && !findChoice(triage.about, state.a)) return undefined;
    if (state.l !== undefined && !findChoice(triage.seriousness, state.l)) return undefined;
    // Answers arrive in order; a later answer without the earlier ones is not a state the cards produce.
    if ((state.s && !state.r) || (state.a && !state.s) || (state.l && !state.a)) return undefined;

    const base = { state, emergencyFirst: state.r === 'y', chosen: this.chosen(state), back: previous(state), restart: {} };
    if (!state.r) {
      return {
        ...base,
        step: 'immediate-risk',
        stepNumber: 1,
        question: triage.immediateRisk.question,
        choices: [
          { label: triage.immediateRisk.yes, state: { r: 'y' }, emphasis: 'danger' },
          { label: triage.immediateRisk.no, state: { r: 'n' } },
        ],
        summary: undefined,
      };
    }
    if (!state.s) {
      return {
        ...base,
        step: 'involves-staff',
        stepNumber: 2,
        question: triage.involvesStaff.question,
        choices: [
          { label: triage.involvesStaff.yes, state: { ...state, s: 'y' } },
          { label: triage.involvesStaff.no, state: { ...state, s: 'n' } },
        ],
        summary: undefined,
      };
    }
    if (!state.a) {
      return {
        ...base,
        step: 'about',
        stepNumber: 3,
        question: triage.about.question,
        choices: triage.about.choices.map((choice) => ({ label: choice.label, state: { ...state, a: choice.id } })),
        summary: undefined,
      };
    }
    if (!state.l) {
      return {
        ...base,
        step: 'seriousness',
        stepNumber: 4,
        question: triage.seriousness.question,
        choices: triage.seriousness.choices.map((choice) => ({ label: choice.label, state: { ...state, l: choice.id } })),
        summary: undefined,
      };
    }
    return { ...base, step: 'summary', stepNumber: 5, question: 'Summary', choices: [], summary: this.summary(state, context) };
  }

  private chosen(state: TriageState): string[] {
    const { triage } = this.pack;
    const chosen: string[] = [];
    if (state.r) chosen.push(`Immediate risk of harm: ${state.r === 'y' ? 'yes, call 999' : 'no'}`);
    if (state.s) chosen.push(`Involves someone who works or volunteers with children: ${state.s === 'y' ? 'yes' : 'no'}`);
    if (state.a) chosen.push(`About: ${findChoice(triage.about, state.a)?.label ?? state.a}`);
    if (state.l) chosen.push(`How serious: ${findChoice(triage.seriousness, state.l)?.label ?? state.l}`);
    return chosen;
  }

  /**
   * One answer from the topics the path led to, in the order a practitioner acts on them, and
   * consistent with the answers given: no 999 step after "No" to immediate risk (999 leads after
   * "Yes"); each step once, however many topics give it, and a step that only says again what an
   * earlier one said left out; the consultation line for the practitioner's area as a step when
   * they are not sure the threshold is met.
   */
  private summary(state: TriageState, context: AnswerContext): Answer {
    const { triage } = this.pack;
    const topicIds = [
      ...(state.r === 'y' ? [triage.immediateRisk.topic] : []),
      ...(state.s === 'y' ? [triage.involvesStaff.topic] : []),
      ...(findChoice(triage.about, state.a!)?.topics ?? []),
      ...(findChoice(triage.seriousness, state.l!)?.topics ?? []),
    ];
    const topics = unique(topicIds)
      .map((id) => this.pack.topicsById.get(id))
      .filter((topic): topic is Topic => topic !== undefined);
    const steps = withoutRepeats(topics.flatMap((topic) => topic.actions).filter((action) => !mentions999.test(action)));
    if (state.l === 'unsure') {
      // The step made for the practitioner's area replaces the topics' own wordings of the consultation lines.
      const own = steps.filter((step) => !/consultation line|starting point|monday to friday/i.test(step));
      steps.splice(0, steps.length, ...own);
      // After telling the designated professional, as the procedure orders it; else second.
      const told = steps.findIndex((step) => tellsDesignatedProfessional.test(step));
      steps.splice(told >= 0 ? told + 1 : Math.min(1, steps.length), 0, this.consultationStep(context));
    }
    const merged: Topic = {
      id: 'triage-summary',
      title: 'Your concern: what to do next',
      section: topics.find((topic) => topic.id !== triage.immediateRisk.topic)?.section ?? topics[0]!.section,
      summary: 'Based on your answers, these are the steps the procedure gives, in order. Copy them into your own record if you need to.',
      actions: steps.slice(0, maxSummaryActions),
      procedures: unique(topics.flatMap((topic) => topic.procedures ?? [])),
      contacts: unique(['designated-safeguarding-professional', ...topics.flatMap((topic) => topic.contacts ?? [])]).filter(
        (id) => state.r === 'y' || id !== 'police-emergency',
      ),
      reportingRoutes: unique(topics.flatMap((topic) => topic.reportingRoutes ?? [])),
      followUps: [],
      phrasings: [],
    };
    const answer = state.r === 'y' ? this.builder.emergency(merged, 1, context) : this.builder.forTopic(merged, 1, [], context);
    const { directAnswer: _topicLine, ...rest } = answer;
    return {
      ...rest,
      topicId: null,
      title: merged.title,
      summary: merged.summary,
      followUps: this.builder.links(topics.map((topic) => topic.id)).slice(0, 4),
    };
  }

  /** "Call Starting Point (Derbyshire) on 01629 535 353 (Monday to Friday from 10am to 4pm) to speak to a qualified Social Worker." */
  private consultationStep(context: AnswerContext): string {
    const lines = ['starting-point', 'derby-city-consultation-line']
      .map((id) => this.pack.contacts.get(id))
      .filter((contact): contact is Contact => contact !== undefined);
    const own = lines.filter((contact) => contact.area === context.area);
    const chosen = own.length > 0 ? own : lines;
    const described = chosen.map((contact) => `${contact.shortName ?? contact.name} on ${contact.phone} (${contact.hoursAsPublished})`);
    return `Not sure the threshold is met? Speak to a qualified Social Worker for advice: call ${described.join(', or ')}.`;
  }
}

const mentions999 = /\b999\b/;
/** A step sharing this share of its longer words with an earlier step says the same thing again. */
const repeatedStepOverlap = 0.6;

/** "Tell your designated or named safeguarding professional (straight away) (and …)", however the topics word it. */
const tellsDesignatedProfessional =
  /^(?:tell|consult|talk to|speak to)\s+your\s+(?:agency's\s+)?designated or named (?:safeguarding professional|professional for safeguarding and child protection)(?:\s+(?:straight away|first|about the concern))?(?:,?\s+and\s+|\.?$)/i;

/**
 * Steps in order, each once: a step that only says again what an earlier step said is left out,
 * and "tell your designated safeguarding professional" is said once (a later step keeps only what
 * it adds: "… and follow the education settings guidance" becomes "Follow the education settings guidance").
 */
function withoutRepeats(steps: readonly string[]): string[] {
  const kept: string[] = [];
  const words = (text: string) => text.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  let toldDesignated = false;
  for (const original of steps) {
    let step = original;
    const designated = tellsDesignatedProfessional.exec(step);
    if (designated) {
      if (toldDesignated) {
        const rest = step.slice(designated[0].length).trim();
        if (rest.split(/\s+/).length < 3) continue;
        step = rest[0]!.toUpperCase() + rest.slice(1);
      }
      toldDesignated = true;
    }
    // The shorter of two steps, mostly in the longer, says the same thing: keep one, in the first's place, in the fuller words.
    const own = new Set(words(step));
    const earlier = kept.findIndex((before) => {
      const other = new Set(words(before));
      const [shorter, longer] = own.size <= other.size ? [own, other] : [other, own];
      return shorter.size > 0 && [...shorter].filter((word) => longer.has(word)).length / shorter.size >= repeatedStepOverlap;
    });
    if (earlier < 0) kept.push(step);
    else if (own.size > new Set(words(kept[earlier]!)).size) kept[earlier] = step;
  }
  return kept;
}

function findChoice(choices: TriageChoices, id: string) {
  return choices.choices.find((choice) => choice.id === id);
}

function previous(state: TriageState): TriageState | undefined {
  if (state.l) return { r: state.r, s: state.s, a: state.a };
  if (state.a) return { r: state.r, s: state.s };
  if (state.s) return { r: state.r };
  if (state.r) return {};
  return undefined;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
