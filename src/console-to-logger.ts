import { errorSummary } from './error-summary.js';
import type { Logger } from './logger.js';

/**
 * The Bot Framework SDK writes some failures straight to the console (a rejected token, with its
 * stack, or the signing keys it holds), as multi-line text between the JSON log lines. In the
 * running bot every console call becomes one JSON line instead: the first line of its text, cut
 * short, with any error as type, message and stack inside the JSON.
 */
export function routeConsoleToLogger(logger: Logger): void {
  const child = logger.child({ component: 'console' });
  const line = (values: unknown[]) => {
    const error = values.find((value): value is Error => value instanceof Error);
    const text = values
      .filter((value) => !(value instanceof Error))
      .map((value) => (typeof value === 'string' ? value : typeof value))
      .join(' ')
      .split('\n')[0]!
      .slice(0, 200);
    return { fields: { event: 'console', ...(error ? { err: errorSummary(error) } : {}) }, text: text || error?.name || 'console output' };
  };
  console.error = (...values: unknown[]) => {
    const { fields, text } = line(values);
    child.error(fields, text);
  };
  console.warn = (...values: unknown[]) => {
    const { fields, text } = line(values);
    child.warn(fields, text);
  };
  const info = (...values: unknown[]) => {
    const { fields, text } = line(values);
    child.info(fields, text);
  };
  console.log = info;
  console.info = info;
  console.debug = (...values: unknown[]) => {
    const { fields, text } = line(values);
    child.debug(fields, text);
  };
  console.trace = console.debug;
}
