export type {
  Answer,
  AnswerContext,
  AnswerKind,
  ContactView,
  RiskBand,
  ScoredTopicLink,
  SourceCitation,
  TopicLink,
  WorkArea,
} from './answer-model.js';
export { safetyLine } from './answer-model.js';
export { createEngine, type Engine, type EngineOptions, messageCharacters, thresholds } from './engine.js';
export type { OpeningStatus } from './opening-hours.js';
export type { PersonalDetailKind, PrivacyFinding } from './privacy-check.js';
export type { RiskAssessment } from './risk/risk-assessor.js';
export type { TriageChoiceView, TriageState, TriageStepName, TriageView } from './triage.js';
