import type { TopicRankerWeights } from '../engine/topic-ranker.js';
import type { RiskModelWeights } from './risk-model-file.js';
/** The knowledge pack as loaded from knowledge/ and checked; every id reference resolves. */

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface OpeningPeriod {
  days: Weekday[];
  /** Local time HH:MM in the pack's time zone. */
  opens: string;
  closes: string;
}

export type ContactArea = 'derby-city' | 'derbyshire' | 'national' | 'your-agency';
export type ContactGroup = 'emergency' | 'advice' | 'helpline' | 'police';

export interface Contact {
  id: string;
  name: string;
  shortName?: string;
  group: ContactGroup;
  area: ContactArea;
  phone?: string;
  email?: string;
  for: string;
  hoursAsPublished?: string;
  hours?: OpeningPeriod[];
}

export interface Procedure {
  id: string;
  kind: 'procedure' | 'guidance';
  name: string;
  appliesWhen: string;
}

export interface ReportingRoute {
  id: string;
  kind: 'platform' | 'self-report' | 'harmful-content' | 'illegal-content' | 'terrorism';
  name: string;
  useFor: string;
}

export interface Resource {
  id: string;
  name: string;
  area: 'derby-city' | 'derbyshire' | 'national';
  about: string;
}

export interface Section {
  id: string;
  title: string;
  startsWith: string;
}

/** A specific question a topic answers with a yes, a no or what to do, in the procedure's own words. */
export interface TopicQuestion {
  asks: string[];
  verdict?: 'Yes' | 'No' | 'Not always' | 'Not usually' | 'It could';
  /** As written in the pack: [square brackets] mark an editor's linking words. */
  answer: string;
}

export interface Topic {
  id: string;
  title: string;
  section: string;
  summary: string;
  /** The one line shown first; [square brackets] mark an editor's linking words. */
  directAnswer?: string;
  questions?: TopicQuestion[];
  /** About a service, a contact line, a resource or the procedure itself, rather than a concern. */
  service?: boolean;
  actions: string[];
  details?: string[];
  procedures?: string[];
  contacts?: string[];
  reportingRoutes?: string[];
  resources?: string[];
  followUps?: string[];
  keywords?: string[];
  phrasings: string[];
}

export interface PackIdentity {
  packVersion: string;
  source: {
    title: string;
    publisher: string;
    publisherShort: string;
    version: string;
    lastUpdated: string;
    file: string;
  };
  reviewBy: string;
  timeZone: 'Europe/London';
  sections: Section[];
}

export interface SynonymEntry {
  means: string;
  words: string[];
}

/** A group is either a list of phrases or "$name" of a shared list. */
export type SignalGroup = string | string[];

export interface ImmediateRiskSignal {
  id: string;
  why: string;
  /** Puts the reply in the emergency band on its own; otherwise the signal explains what the learned model found. */
  decides?: boolean;
  /** Applies only to messages of at most this many words. */
  maxWords?: number;
  /** With `all`: every group must match within this many words of a match of the first group. */
  withinWords?: number;
  any?: string[];
  all?: SignalGroup[];
  unless?: string[];
}

export interface ImmediateRiskSignals {
  negationWindow: number;
  negations: string[];
  negatedWordsIgnored: string[];
  lists: Record<string, string[]>;
  signals: ImmediateRiskSignal[];
}

export interface SmallTalk {
  greetings: string[];
  helpRequests: string[];
  thanks: string[];
  startTriage: string[];
  /** Words that show an unmatched message is still about a child or a worry. */
  concernWords?: string[];
}

export interface TriageYesNo {
  question: string;
  yes: string;
  no: string;
  topic: string;
}

export interface TriageChoice {
  id: string;
  label: string;
  topics: string[];
}

export interface TriageChoices {
  question: string;
  choices: TriageChoice[];
}

export interface TriageDefinition {
  immediateRisk: TriageYesNo;
  involvesStaff: TriageYesNo;
  about: TriageChoices;
  seriousness: TriageChoices;
}

export interface KnowledgePack {
  identity: PackIdentity;
  contacts: Map<string, Contact>;
  procedures: Map<string, Procedure>;
  reportingRoutes: Map<string, ReportingRoute>;
  resources: Map<string, Resource>;
  sections: Map<string, Section>;
  /** In a stable order (by id) so that ranking ties break the same way every run. */
  topics: Topic[];
  topicsById: Map<string, Topic>;
  synonyms: SynonymEntry[];
  immediateRiskSignals: ImmediateRiskSignals;
  smallTalk: SmallTalk;
  triage: TriageDefinition;
  /** The learned immediate-risk model (models/), read at every start, never cached. */
  riskModel?: RiskModelWeights;
  /** The learned topic ranker (models/topic-ranker.json), when there is one: it ranks long accounts beside the matcher. */
  topicRanker?: TopicRankerWeights;
}
