import type { FeedbackVerdict } from '../conversation/card-action.js';
import type { Platform } from '../conversation/platform.js';
import type { AnswerKind, RiskBand, WorkArea } from '../engine/index.js';

/**
 * What the bot keeps: feedback per topic, counts of questions per kind and topic, each user's
 * chosen area (under a one-way hash of their id), and, only when RECORD_UNANSWERED is on,
 * redacted questions it could not answer confidently, for 90 days. Never message text otherwise,
 * never who asked what, except for requests to a safeguarding lead, which must say who asked
 * (the asker's platform id and how to reach them privately, never their question) and are
 * deleted 30 days after they are closed.
 *
 * Every method returns a promise: the SQLite store answers at once, while PostgreSQL (shared by
 * several instances) answers over the network.
 */
export interface RecordStore {
  /** Which kind of store, for logs and metrics ("sqlite" or "postgres"). */
  readonly kind: string;
  recordFeedback(topicId: string, verdict: FeedbackVerdict, platform: Platform, day: string): Promise<void>;
  /**
   * Feedback that counts once per person per answer: a second press on the same answer (the same
   * `answerRef`) replaces the verdict rather than adding a vote. Resolves true when it is the person's first.
   */
  recordFeedbackOnce(feedback: OnceFeedback, platform: Platform, day: string): Promise<boolean>;
  /** A reply that first asked "Is a child in danger right now?" (the possible band). */
  recordPossibleRisk(platform: Platform, day: string): Promise<void>;
  /** "Yes, now" pressed on such a reply: counted once per reply. */
  recordDangerConfirmed(answerRef: string, platform: Platform, day: string): Promise<void>;
  /** Adds `count` (1 unless given) questions of this kind and topic to the day's counts. */
  recordQuestion(kind: AnswerKind, topicId: string | null, platform: Platform, day: string, count?: number): Promise<void>;
  /** `redactedText` must already have names, numbers, emails, postcodes and dates removed. */
  recordUnanswered(redactedText: string, kind: AnswerKind, platform: Platform, day: string, expiresDay: string): Promise<void>;
  getArea(userKey: string): Promise<WorkArea | undefined>;
  setArea(userKey: string, area: WorkArea, day: string): Promise<void>;
  /**
   * Removes unanswered questions past their expiry day, lead requests closed more than 30 days ago,
   * and lead requests never closed that were asked more than `unclosedRequestRetentionDays` ago (they
   * hold the asker's id and name); resolves with how many went.
   */
  pruneExpired(today: string): Promise<number>;

  createLeadRequest(request: NewLeadRequest): Promise<void>;
  getLeadRequest(id: string): Promise<LeadRequestRecord | undefined>;
  /** The asker's latest request on this topic that is not closed, if any (a second tap must not post twice). */
  activeLeadRequest(platform: Platform, askerId: string, topicId: string | null): Promise<LeadRequestRecord | undefined>;
  /** Where the request's message is in the leads' channel (JSON), once posted or posted again. */
  setLeadRequestPost(id: string, post: string): Promise<void>;
  /** For a request that could not be posted at all. */
  deleteLeadRequest(id: string): Promise<void>;
  /** Open to taken, only if still open: resolves false when someone else took it first (any instance). */
  takeLeadRequest(id: string, lead: LeadPerson, at: string): Promise<boolean>;
  /** Taken to closed, only if taken; it is deleted after `expiresDay`. */
  closeLeadRequest(id: string, lead: LeadPerson, at: string, expiresDay: string): Promise<boolean>;
  /** Marks open requests due by `now` and never posted again as posted again, and resolves with them: each is claimed by one instance only. */
  claimOverdueLeadRequests(now: string): Promise<LeadRequestRecord[]>;

  /** Where the bot may post, learnt from the platform (the leads' Teams channel), as JSON. */
  getChannelReference(name: string): Promise<string | undefined>;
  setChannelReference(name: string, reference: string, at: string): Promise<void>;
  report(): Promise<StoreReport>;
  close(): Promise<void>;
}

export interface OnceFeedback {
  /** One-way hash of the person (see userKey). */
  userKey: string;
  /** Names the reply the buttons were on. */
  answerRef: string;
  topicId: string;
  verdict: FeedbackVerdict;
  /** The band of the reply: so "emergency cards marked not helpful" can be counted. */
  risk: RiskBand;
}

export interface StoreReport {
  questionsByKind: Array<{ kind: string; count: number }>;
  questionsByTopic: Array<{ topicId: string; count: number }>;
  feedbackByTopic: Array<{ topicId: string; helpful: number; notHelpful: number }>;
  unanswered: Array<{ text: string; count: number; lastDay: string }>;
  /** Every lead request still kept, oldest first, without who asked or how to reach them. */
  leadRequests: Array<{
    topicId: string | null;
    urgency: LeadUrgency;
    state: LeadRequestState;
    platform: string;
    askedAt: string;
    takenAt: string | null;
    repostedAt: string | null;
  }>;
  /** Replies in the possible band, and how many of them had "Yes, now" pressed. */
  possibleRisk: { replies: number; confirmed: number };
  /** Emergency cards marked not helpful, by the topic they led to: where the next round of checks should look. */
  emergencyNotHelpful: Array<{ topicId: string; count: number }>;
}

export type LeadUrgency = 'today' | 'this-week';
export type LeadRequestState = 'open' | 'taken' | 'closed';

/** How long a lead request that nobody closed is kept: long past any use, not for ever. */
export const unclosedRequestRetentionDays = 90;

/** The first day whose unclosed requests are still kept, for a given today (YYYY-MM-DD, UTC arithmetic). */
export function unclosedRequestCutoff(today: string): string {
  const day = new Date(`${today}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() - unclosedRequestRetentionDays);
  return day.toISOString().slice(0, 10);
}

/** A lead as the platform names them: their id, and for a Teams mention their display name. */
export interface LeadPerson {
  id: string;
  name: string | null;
}

/** A request to the safeguarding leads, as kept. Nothing the asker typed is in it. Times are ISO 8601 in UTC. */
export interface LeadRequestRecord {
  id: string;
  platform: Platform;
  /** The Slack workspace (team) id, the Teams tenant id, or the playground conversation: a lead must press from the same one. */
  workspace: string;
  /** The platform's id for the asker, to tell them privately which lead will contact them. */
  askerId: string;
  /** How to reach the asker privately (JSON: a display name for a Teams mention, the service URL, their chat). */
  askerAddress: string;
  topicId: string | null;
  urgency: LeadUrgency;
  state: LeadRequestState;
  askedAt: string;
  /** When it is posted again if nobody has taken it. */
  dueAt: string;
  repostedAt: string | null;
  takenAt: string | null;
  takenBy: LeadPerson | null;
  closedAt: string | null;
  closedBy: LeadPerson | null;
  /** Where it is in the leads' channel (JSON), once posted. */
  post: string | null;
}

export type NewLeadRequest = Pick<
  LeadRequestRecord,
  'id' | 'platform' | 'workspace' | 'askerId' | 'askerAddress' | 'topicId' | 'urgency' | 'askedAt' | 'dueAt'
>;

/** A row of the lead_requests table (the same in SQLite and PostgreSQL) as a record. */
export interface LeadRequestRow {
  id: string;
  platform: string;
  workspace: string;
  asker_id: string;
  asker_address: string;
  topic_id: string;
  urgency: string;
  state: string;
  asked_at: string;
  due_at: string;
  reposted_at: string | null;
  taken_at: string | null;
  taken_by: string | null;
  taken_by_name: string | null;
  closed_at: string | null;
  closed_by: string | null;
  closed_by_name: string | null;
  post: string | null;
}

export function leadRequestFromRow(row: LeadRequestRow): LeadRequestRecord {
  const person = (id: string | null, name: string | null): LeadPerson | null => (id ? { id, name } : null);
  return {
    id: row.id,
    platform: row.platform as Platform,
    workspace: row.workspace,
    askerId: row.asker_id,
    askerAddress: row.asker_address,
    topicId: row.topic_id === '' ? null : row.topic_id,
    urgency: row.urgency as LeadUrgency,
    state: row.state as LeadRequestState,
    askedAt: row.asked_at,
    dueAt: row.due_at,
    repostedAt: row.reposted_at,
    takenAt: row.taken_at,
    takenBy: person(row.taken_by, row.taken_by_name),
    closedAt: row.closed_at,
    closedBy: person(row.closed_by, row.closed_by_name),
    post: row.post,
  };
}

/** The lead_requests and channel_references tables, as both stores create them (types common to both). */
export const leadRequestTables = `CREATE TABLE lead_requests (
     id TEXT PRIMARY KEY,
     platform TEXT NOT NULL,
     workspace TEXT NOT NULL,
     asker_id TEXT NOT NULL,
     asker_address TEXT NOT NULL,
     topic_id TEXT NOT NULL DEFAULT '',
     urgency TEXT NOT NULL CHECK (urgency IN ('today', 'this-week')),
     state TEXT NOT NULL CHECK (state IN ('open', 'taken', 'closed')),
     asked_at TEXT NOT NULL,
     due_at TEXT NOT NULL,
     reposted_at TEXT,
     taken_at TEXT,
     taken_by TEXT,
     taken_by_name TEXT,
     closed_at TEXT,
     closed_by TEXT,
     closed_by_name TEXT,
     expires_day TEXT,
     post TEXT
   );
   CREATE INDEX lead_requests_due ON lead_requests (state, due_at);
   CREATE INDEX lead_requests_asker ON lead_requests (platform, asker_id, state);
   CREATE INDEX lead_requests_expiry ON lead_requests (expires_day);
   CREATE TABLE channel_references (
     name TEXT PRIMARY KEY,
     reference TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`;

/** Redacted questions are cut to this length before they are kept. */
export const maxUnansweredLength = 500;
