/**
 * What of an error goes into the logs: its type, message and where it happened. Not the request,
 * the response or anything else an HTTP client error carries, which can hold message text or tokens.
 */
export function errorSummary(error: unknown): { type: string; message: string; stack?: string } {
  if (error instanceof Error) {
    const stack = error.stack?.split('\n').slice(1, 6).join('\n');
    return { type: error.name, message: error.message.slice(0, 300), ...(stack ? { stack } : {}) };
  }
  return { type: typeof error, message: 'non-error value thrown' };
}
