import { existsSync } from 'node:fs';
import { type App, buildApp } from './app.js';
import { type Config, readConfig } from './config.js';
import { routeConsoleToLogger } from './console-to-logger.js';
import { errorSummary } from './error-summary.js';
import { formatProblem, KnowledgePackError } from './knowledge/pack-problem.js';
import { createLogger, type Logger } from './logger.js';
import { StartupError } from './startup-error.js';

/**
 * `npm start`: check settings, the knowledge pack and the database, then serve until told to stop.
 * Anything that stops it starting is one line on standard error naming what to change, and exit 1.
 */
async function main(): Promise<void> {
  let logger: Logger | undefined;
  let app: App | undefined;
  try {
    loadDotEnvIfPresent();
    const config = readConfig();
    logger = createLogger(config.logLevel);
    routeConsoleToLogger(logger);
    app = await buildApp(config, { logger });
    await app.start();
    stopOnSignals(app, config, logger);
  } catch (error) {
    const message = startupMessage(error);
    logger?.fatal({ event: 'start-failed', err: errorSummary(error) }, message);
    process.stderr.write(`${message}\n`);
    // Whatever did start (a database pool, a listening socket) must not keep the process alive.
    await app?.stop().catch(() => {});
    process.exit(1);
  }
}

function startupMessage(error: unknown): string {
  if (error instanceof StartupError) return error.message;
  if (error instanceof KnowledgePackError) {
    const [first] = error.problems;
    const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more)` : '';
    return `The knowledge pack is broken${more}: ${first ? formatProblem(first).replace(/\n\s*/g, ' ') : error.message} Run npm run check:knowledge to see every problem.`;
  }
  const summary = errorSummary(error);
  return `The bot could not start: ${summary.message.split('\n')[0]} (${summary.type}).`;
}

/**
 * SIGTERM (App Service, Kubernetes, systemd) or SIGINT (Ctrl+C): stop taking connections, answer
 * what is in flight, close the store, exit 0. If that takes longer than SHUTDOWN_TIMEOUT_MS the
 * process exits 1 anyway, and says so.
 */
function stopOnSignals(app: App, config: Config, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const startedAt = performance.now();
    logger.info({ event: 'stopping', signal, deadlineMs: config.shutdownTimeoutMs }, 'stopping: finishing requests in flight');
    const deadline = setTimeout(() => {
      logger.error(
        { event: 'stop-deadline-passed', deadlineMs: config.shutdownTimeoutMs, ...app.inFlight() },
        `could not finish within ${config.shutdownTimeoutMs} ms; exiting with requests unfinished`,
      );
      process.exit(1);
    }, config.shutdownTimeoutMs);
    try {
      await app.stop();
    } catch (error) {
      logger.error({ event: 'stop-failed', err: errorSummary(error) }, 'stopping failed');
      clearTimeout(deadline);
      process.exit(1);
    }
    clearTimeout(deadline);
    logger.info({ event: 'stopped', signal, ms: Math.round(performance.now() - startedAt) }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (reason) =>
    logger.error({ event: 'unhandled-rejection', err: errorSummary(reason) }, 'unhandled rejection'),
  );
}

/** Settings in .env, for local use; variables already in the environment win. */
function loadDotEnvIfPresent(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}

await main();
