/**
 * A problem that stops the bot starting, with a message for whoever runs it: one line that names
 * the setting or file to change. `npm start` prints the message alone, never a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
