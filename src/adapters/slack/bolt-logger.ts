import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../../logger.js';

/**
 * Bolt's logger interface over our structured logger. Bolt's own messages are about requests and
 * errors, not message text; debug output (which can include payloads) is never passed through.
 */
export function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.WARN;
  const text = (messages: unknown[]) =>
    messages
      .map((message) => (message instanceof Error ? message.message : String(message)))
      .join(' ')
      .slice(0, 500);
  return {
    debug: () => {},
    info: (...messages) => child.info({ event: 'slack-info' }, text(messages)),
    warn: (...messages) => child.warn({ event: 'slack-warning' }, text(messages)),
    error: (...messages) => child.error({ event: 'slack-error' }, text(messages)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
