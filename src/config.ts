import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { StartupError } from './startup-error.js';

/**
 * Settings come from the environment only (see .env.example). They are checked once at start-up;
 * a bad value stops the bot with a message that names the variable and says what it must be.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const onOff = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === '') return undefined;
      if (['on', 'true', '1', 'yes'].includes(value)) return true;
      if (['off', 'false', '0', 'no'].includes(value)) return false;
      context.addIssue({ code: 'custom', message: `${name} must be "on" or "off"` });
      return z.NEVER;
    });

/** A whole number of milliseconds within a sensible range, or the default when empty. */
const milliseconds = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === '') return fallback;
      const number = Number(value);
      if (Number.isInteger(number) && number >= min && number <= max) return number;
      context.addIssue({ code: 'custom', message: `${name} must be a whole number of milliseconds from ${min} to ${max}` });
      return z.NEVER;
    });

/**
 * postgres://user:password@host:5432/database?sslmode=verify-full. The value itself is never
 * repeated in a message: it holds a password.
 */
const databaseUrl = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return undefined;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname || url.pathname.length < 2) {
      context.addIssue({
        code: 'custom',
        message: 'DATABASE_URL must be a PostgreSQL address such as postgres://user:password@host:5432/database (or empty for SQLite)',
      });
      return z.NEVER;
    }
    return value;
  });

/** A Slack channel id as Slack shows it (channel details, at the bottom): C or G and capitals or digits. */
const slackChannelId = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return undefined;
    if (/^[CG][A-Z0-9]{6,20}$/.test(value)) return value;
    context.addIssue({
      code: 'custom',
      message: 'ESCALATION_SLACK_CHANNEL must be a Slack channel id such as C0123ABCDEF (channel details, at the bottom), not its name',
    });
    return z.NEVER;
  });

/** The leads' Teams channel: its id (19:...@thread.tacv2) or the link Teams gives for it ("Get link to channel"). */
const teamsChannel = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return undefined;
    const channel = parseTeamsChannel(value);
    if (channel) return channel;
    context.addIssue({
      code: 'custom',
      message: 'ESCALATION_TEAMS_CHANNEL must be the Teams channel link ("Get link to channel") or its id such as 19:abc123@thread.tacv2',
    });
    return z.NEVER;
  });

/** Working hours before an untaken request is posted again: a number from 0.25 to 40. */
const workingHours = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return 2;
    const number = Number(value);
    if (Number.isFinite(number) && number >= 0.25 && number <= 40) return number;
    context.addIssue({ code: 'custom', message: 'ESCALATION_REPOST_AFTER_HOURS must be a number of working hours from 0.25 to 40' });
    return z.NEVER;
  });

/** The working day, Monday to Friday, UK time: "09:00-17:00". */
const workingDay = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return { startMinute: 9 * 60, endMinute: 17 * 60 };
    const match = /^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
    const startMinute = match ? Number(match[1]) * 60 + Number(match[2]) : 0;
    const endMinute = match ? Number(match[3]) * 60 + Number(match[4]) : 0;
    if (match && endMinute > startMinute && endMinute <= 24 * 60) return { startMinute, endMinute };
    context.addIssue({ code: 'custom', message: 'ESCALATION_WORKING_HOURS must be a start and end time such as 09:00-17:00' });
    return z.NEVER;
  });

const environmentSchema = z.object({
  PORT: z.coerce.number({ message: 'PORT must be a whole number' }).int().min(0).max(65535).default(3978),
  HOST: optionalText,
  NODE_ENV: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalText,
  PROCEDURE_URL: z
    .string()
    .url({ message: 'PROCEDURE_URL must be a full https:// address' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: z
    .string()
    .url({ message: 'SLACK_API_URL must be a full URL such as https://slack.com/api/' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PLAYGROUND: onOff('PLAYGROUND'),
  ENGINE_THREAD: onOff('ENGINE_THREAD'),
  DATA_DIR: optionalText,
  RECORD_UNANSWERED: onOff('RECORD_UNANSWERED'),
  KNOWLEDGE_DIR: optionalText,
  DATABASE_URL: databaseUrl,
  DATABASE_POOL_SIZE: z.coerce
    .number({ message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 100' })
    .int({ message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 100' })
    .min(1, { message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 100' })
    .max(100, { message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 100' })
    .default(5),
  METRICS: onOff('METRICS'),
  METRICS_TOKEN: optionalText,
  CONNECTOR_TIMEOUT_MS: milliseconds('CONNECTOR_TIMEOUT_MS', 5000, 500, 60_000),
  SHUTDOWN_TIMEOUT_MS: milliseconds('SHUTDOWN_TIMEOUT_MS', 10_000, 1000, 120_000),
  ESCALATION_SLACK_CHANNEL: slackChannelId,
  ESCALATION_TEAMS_CHANNEL: teamsChannel,
  ESCALATION_REPOST_AFTER_HOURS: workingHours,
  ESCALATION_WORKING_HOURS: workingDay,
});

/** The leads' channel in Teams, as configured: its id, and from a link the team (group) and tenant it belongs to. */
export interface TeamsChannelSetting {
  channelId: string;
  groupId?: string;
  tenantId?: string;
}

/** Reads "19:...@thread.tacv2" or https://teams.microsoft.com/l/channel/19%3a...%40thread.tacv2/Name?groupId=...&tenantId=... */
export function parseTeamsChannel(value: string): TeamsChannelSetting | undefined {
  const channelIdPattern = /^19:[A-Za-z0-9_.=-]+@thread\.(tacv2|skype)$/;
  if (channelIdPattern.test(value)) return { channelId: value };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || !/(^|\.)teams\.(microsoft|cloud\.microsoft)(\.com)?$/.test(url.hostname)) return undefined;
  const match = /^\/l\/channel\/([^/]+)/.exec(url.pathname);
  if (!match) return undefined;
  let channelId: string;
  try {
    channelId = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  if (!channelIdPattern.test(channelId)) return undefined;
  const groupId = url.searchParams.get('groupId') ?? undefined;
  const tenantId = url.searchParams.get('tenantId') ?? undefined;
  return { channelId, ...(groupId ? { groupId } : {}), ...(tenantId ? { tenantId } : {}) };
}

export interface TeamsSettings {
  appId: string | undefined;
  appPassword: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | undefined;
  tenantId: string | undefined;
}

export interface SlackSettings {
  signingSecret: string;
  botToken: string;
  appToken: string | undefined;
  apiUrl: string | undefined;
}

export interface Config {
  port: number;
  host: string;
  production: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  teams: TeamsSettings;
  /** True when no Microsoft app id is set: no Bot Framework authentication (Emulator, tests, playground). */
  localMode: boolean;
  /** Slack is off unless both the signing secret and the bot token are set. */
  slack: SlackSettings | undefined;
  playground: boolean;
  /** Typed questions answered on a thread of their own, beside the event loop (see src/engine-thread). */
  engineThread: boolean;
  dataDirectory: string;
  /** PostgreSQL for several instances; when absent the records go to SQLite under dataDirectory. */
  database: { url: string; poolSize: number } | undefined;
  recordUnanswered: boolean;
  /** GET /metrics in Prometheus text; when a token is set, requests need it as a bearer token. */
  metrics: { enabled: boolean; token: string | undefined };
  /** How long one turn's calls to the Bot Connector may take altogether before they are given up. */
  connectorTimeoutMs: number;
  /** How long a stop (SIGTERM, SIGINT) may take to finish requests in flight before the process exits anyway. */
  shutdownTimeoutMs: number;
  procedureUrl: string | undefined;
  knowledgeDirectory: string | undefined;
  /** "Ask a safeguarding lead": off (undefined) unless a leads' channel is set for Slack or Teams. */
  escalation: EscalationSettings | undefined;
}

export interface EscalationSettings {
  /** The Slack channel id of the organisation's safeguarding leads. */
  slackChannel: string | undefined;
  /** The leads' Teams channel; the bot learns how to reach it when it is added to that team. */
  teamsChannel: TeamsChannelSetting | undefined;
  /** Working hours before a request nobody has taken is posted again (once). */
  repostAfterHours: number;
  /** The working day, Monday to Friday, in UK time, as minutes after midnight. */
  workingDay: { startMinute: number; endMinute: number };
}

/** Bad settings, in one line that names each variable to change. */
export class ConfigError extends StartupError {
  constructor(readonly problems: string[]) {
    super(
      `The bot cannot start because of its settings: ${problems.map((problem) => problem.replace(/\.$/, '')).join('; ')}. See .env.example for every setting.`,
    );
    this.name = 'ConfigError';
  }
}

export function readConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? 'setting');
        return issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
      }),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (env.MicrosoftAppId && !env.MicrosoftAppPassword && env.MicrosoftAppType !== 'UserAssignedMSI') {
    problems.push('MicrosoftAppPassword must be set when MicrosoftAppId is set (or set MicrosoftAppType=UserAssignedMSI).');
  }
  if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId must be set when MicrosoftAppType is SingleTenant.');
  }
  if (Boolean(env.SLACK_SIGNING_SECRET) !== Boolean(env.SLACK_BOT_TOKEN)) {
    problems.push('SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN go together: set both to turn Slack on, or neither to leave it off.');
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_BOT_TOKEN.startsWith('xoxb-')) {
    problems.push('SLACK_BOT_TOKEN must be a bot token starting with "xoxb-".');
  }
  if (env.METRICS_TOKEN && env.METRICS_TOKEN.length < 16) {
    problems.push('METRICS_TOKEN must be at least 16 characters (or empty for no token).');
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN must be an app-level token starting with "xapp-".');
  }
  if (env.ESCALATION_SLACK_CHANNEL && !(env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN)) {
    problems.push('ESCALATION_SLACK_CHANNEL needs Slack on: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN too, or leave it empty.');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const localMode = !env.MicrosoftAppId;
  const production = env.NODE_ENV === 'production';
  return {
    port: env.PORT,
    // Local mode has no authentication, so by default it listens on this machine only.
    host: env.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    production,
    logLevel: env.LOG_LEVEL,
    teams: {
      appId: env.MicrosoftAppId,
      appPassword: env.MicrosoftAppPassword,
      appType: env.MicrosoftAppType,
      tenantId: env.MicrosoftAppTenantId,
    },
    localMode,
    slack:
      env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN
        ? {
            signingSecret: env.SLACK_SIGNING_SECRET,
            botToken: env.SLACK_BOT_TOKEN,
            appToken: env.SLACK_APP_TOKEN,
            apiUrl: env.SLACK_API_URL,
          }
        : undefined,
    playground: env.PLAYGROUND ?? (localMode && !production),
    // A second thread helps only where there is a second processor to run it.
    engineThread: env.ENGINE_THREAD ?? availableParallelism() > 1,
    dataDirectory: env.DATA_DIR ?? './data',
    database: env.DATABASE_URL ? { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE } : undefined,
    recordUnanswered: env.RECORD_UNANSWERED ?? false,
    metrics: { enabled: env.METRICS ?? true, token: env.METRICS_TOKEN },
    connectorTimeoutMs: env.CONNECTOR_TIMEOUT_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    procedureUrl: env.PROCEDURE_URL,
    knowledgeDirectory: env.KNOWLEDGE_DIR,
    escalation:
      env.ESCALATION_SLACK_CHANNEL || env.ESCALATION_TEAMS_CHANNEL
        ? {
            slackChannel: env.ESCALATION_SLACK_CHANNEL,
            teamsChannel: env.ESCALATION_TEAMS_CHANNEL,
            repostAfterHours: env.ESCALATION_REPOST_AFTER_HOURS,
            workingDay: env.ESCALATION_WORKING_HOURS,
          }
        : undefined,
  };
}
