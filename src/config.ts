import { z } from 'zod';

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
  DATA_DIR: optionalText,
  RECORD_UNANSWERED: onOff('RECORD_UNANSWERED'),
  KNOWLEDGE_DIR: optionalText,
});

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
  dataDirectory: string;
  recordUnanswered: boolean;
  procedureUrl: string | undefined;
  knowledgeDirectory: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The bot cannot start because of its settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nSee .env.example for every setting.`,
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
  if (env.SLACK_APP_TOKEN && !env.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN must be an app-level token starting with "xapp-".');
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
    dataDirectory: env.DATA_DIR ?? './data',
    recordUnanswered: env.RECORD_UNANSWERED ?? false,
    procedureUrl: env.PROCEDURE_URL,
    knowledgeDirectory: env.KNOWLEDGE_DIR,
  };
}
