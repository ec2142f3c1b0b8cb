import { join } from 'node:path';
import type { Config } from '../config.js';
import { errorSummary } from '../error-summary.js';
import type { Logger } from '../logger.js';
import { StartupError } from '../startup-error.js';
import { PostgresRecordStore } from './postgres-record-store.js';
import type { RecordStore } from './record-store.js';
import { SqliteRecordStore } from './sqlite-record-store.js';

export function sqliteFile(config: Config): string {
  return join(config.dataDirectory, 'safeguarding-assistant.sqlite');
}

/**
 * The configured record store, created and migrated. PostgreSQL (DATABASE_URL) is shared by every
 * instance, so one that cannot reach it must not start and quietly keep records apart: that is a
 * StartupError naming DATABASE_URL. A SQLite file that cannot be opened is this instance's own
 * affair: the bot answers without keeping anything, and says so (undefined).
 */
export async function openRecordStore(
  config: Config,
  logger: Logger,
  options: { migrate?: boolean } = {},
): Promise<RecordStore | undefined> {
  if (config.database) {
    try {
      return await PostgresRecordStore.open(config.database.url, {
        poolSize: config.database.poolSize,
        migrate: options.migrate ?? true,
        onIdleError: (error) =>
          logger.warn({ event: 'database-connection-lost', err: errorSummary(error) }, 'a database connection was lost'),
      });
    } catch (error) {
      throw new StartupError(databaseProblem(config.database.url, error));
    }
  }
  const file = sqliteFile(config);
  try {
    return new SqliteRecordStore(file);
  } catch (error) {
    logger.error(
      { event: 'store-unavailable', file, err: errorSummary(error) },
      'the record store could not be opened; answering without keeping feedback or area choices',
    );
    return undefined;
  }
}

/** One line saying what to change, without the password or a stack trace. */
export function databaseProblem(url: string, error: unknown): string {
  const parsed = new URL(url);
  const where = `${parsed.hostname}:${parsed.port || '5432'}`;
  const database = decodeURIComponent(parsed.pathname.slice(1));
  const user = decodeURIComponent(parsed.username);
  const code = (error as { code?: string }).code ?? '';
  const password = decodeURIComponent(parsed.password);
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const detail = password ? message.split(password).join('***') : message;
  switch (code) {
    case 'ECONNREFUSED':
      return `DATABASE_URL: nothing is listening at ${where} (connection refused). Check the host and port in DATABASE_URL and that PostgreSQL is running.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DATABASE_URL: the host "${parsed.hostname}" could not be found. Check the host name in DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `DATABASE_URL: PostgreSQL at ${where} refused user "${user}" (${detail}). Check the user and password in DATABASE_URL, and that the server allows this client.`;
    case '3D000':
      return `DATABASE_URL: the database "${database}" does not exist at ${where}. Create it, or correct the database name in DATABASE_URL.`;
    case '42501':
      return `DATABASE_URL: user "${user}" may not create the bot's tables in "${database}" (${detail}). Grant it CREATE on the database's schema, or use a user that has it.`;
  }
  if (/timeout|timed out/i.test(message)) {
    return `DATABASE_URL: no answer from PostgreSQL at ${where} in time. Check the host and port in DATABASE_URL, the firewall rules, and that the server is running.`;
  }
  if (/SSL|TLS|certificate/i.test(message)) {
    return `DATABASE_URL: the secure connection to ${where} failed (${detail}). Check sslmode in DATABASE_URL (Azure needs sslmode=verify-full).`;
  }
  return `DATABASE_URL: could not open the PostgreSQL database at ${where} (${detail}). Check DATABASE_URL.`;
}
