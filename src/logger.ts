import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs on standard output. Callers log events, kinds and ids only: never the text
 * of a message, a user's name or a token.
 */
export function createLogger(level: pino.LevelWithSilent = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'safeguarding-assistant' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['text', 'question', 'req.headers.authorization', '*.authorization', 'token'], censor: '[removed]' },
    },
    destination,
  );
}
