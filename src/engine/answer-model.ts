import type { Contact, Procedure, ReportingRoute, Resource } from '../knowledge/pack-types.js';
import type { OpeningStatus } from './opening-hours.js';

/**
 * What the engine says in reply to a question, independent of any platform. Renderers turn it
 * into an Adaptive Card, Block Kit or plain text; nothing here knows which.
 */
export type AnswerKind = 'answer' | 'emergency' | 'clarify' | 'fallback' | 'help';

/**
 * How likely the message is to be about a child at immediate risk now. `emergency`: lead with 999.
 * `possible`: first ask "Is a child in danger right now?", then answer. `none`: answer as asked.
 */
export type RiskBand = 'emergency' | 'possible' | 'none';

export interface TopicLink {
  id: string;
  title: string;
}

export interface ScoredTopicLink extends TopicLink {
  score: number;
}

export interface SourceCitation {
  title: string;
  publisher: string;
  version: string;
  /** ISO date, e.g. 2025-03-14. */
  lastUpdated: string;
  /** As people read it, e.g. "14 March 2025". */
  lastUpdatedText: string;
  /** The part of the procedure the answer comes from, when there is one. */
  section: string | null;
}

/** A contact as shown in an answer: with whether it is open now, when it publishes hours. */
export interface ContactView extends Contact {
  status?: OpeningStatus;
}

export interface Answer {
  kind: AnswerKind;
  /** True when the reply must lead with "call 999" (the emergency band, and only it). */
  emergency: boolean;
  risk: RiskBand;
  /** In a few words, what raised the emergency or possible band (a signal's reason, or the words that weighed most). */
  riskReason?: string;
  topicId: string | null;
  title: string;
  /** Confidence of the match, 0 to 1. */
  score: number;
  /**
   * The one line shown first: a yes, a no or what to do, in the procedure's own words (from the
   * topic's specific question closest to what was asked, or the topic's own direct answer).
   */
  directAnswer?: string;
  /** The topic's own phrasing the question came closest to: why this answer, in the pack's words. */
  matchedOn?: string;
  summary: string;
  /** Steps in order, most urgent first. */
  actions: string[];
  details: string[];
  procedures: Procedure[];
  contacts: ContactView[];
  /**
   * The one number to ring now: the practitioner's own consultation line (both lines, Derbyshire
   * first, while their area is not known), or the topic's own first number when it has no
   * consultation line.
   */
  callNow: ContactView[];
  reportingRoutes: ReportingRoute[];
  resources: Resource[];
  followUps: TopicLink[];
  /** Other topics that could fit ("did you mean"). */
  alternatives: ScoredTopicLink[];
  source: SourceCitation;
  /** "If a child is at immediate risk, call 999." Every reply carries it. */
  safetyLine: string;
  /** Short notes to show above the answer, such as a pack that is due for review. */
  notices: string[];
  /** The question asked for help deciding what to do ("I have a concern"): offer the guided triage. */
  startsTriage?: boolean;
  /**
   * Why a fallback gave no answer: the question is not about the bot's subject (`off-topic`: say
   * what the bot is for and where else to ask), or it is a concern the bot could not match
   * (`unmatched-concern`: offer the guided triage, the consultation lines and 999).
   */
  declined?: 'off-topic' | 'unmatched-concern';
}

export type WorkArea = 'derby-city' | 'derbyshire';

export interface AnswerContext {
  /** The practitioner's area, so their consultation line comes first. */
  area?: WorkArea;
  /** The time to judge opening hours by (the engine's clock when absent). */
  now?: Date;
}

export const safetyLine = 'If a child is at immediate risk, call 999.';
