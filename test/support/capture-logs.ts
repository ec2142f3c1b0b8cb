import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

/** A real logger whose lines are kept, so tests can check what was (and was not) logged. */
export function captureLogs(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}
