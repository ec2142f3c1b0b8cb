import type { KnowledgePack, Topic, TriageChoices } from '../knowledge/pack-types.js';
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

  /** One answer from the topics the path led to, in the order a practitioner acts on them. */
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
    const merged: Topic = {
      id: 'triage-summary',
      title: 'Your concern: what to do next',
      section: topics.find((topic) => topic.id !== triage.immediateRisk.topic)?.section ?? topics[0]!.section,
      summary: 'Based on your answers, these are the steps the procedure gives, in order. Copy them into your own record if you need to.',
      actions: unique(topics.flatMap((topic) => topic.actions)).slice(0, maxSummaryActions),
      procedures: unique(topics.flatMap((topic) => topic.procedures ?? [])),
      contacts: unique(['designated-safeguarding-professional', ...topics.flatMap((topic) => topic.contacts ?? [])]),
      reportingRoutes: unique(topics.flatMap((topic) => topic.reportingRoutes ?? [])),
      followUps: [],
      phrasings: [],
    };
    const answer = state.r === 'y' ? this.builder.emergency(merged, 1, context) : this.builder.forTopic(merged, 1, [], context);
    return {
      ...answer,
      topicId: null,
      title: merged.title,
      summary: merged.summary,
      followUps: this.builder.links(topics.map((topic) => topic.id)).slice(0, 4),
    };
  }
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
