import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { errorSummary } from './error-summary.js';
import { KnowledgePackError } from './knowledge/pack-problem.js';
import { createLogger } from './logger.js';
import { StartupError } from './startup-error.js';

/** `npm start`: check settings and the knowledge pack, then serve until told to stop. */
async function main(): Promise<void> {
  loadDotEnvIfPresent();
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp(config, { logger });
  } catch (error) {
    if (error instanceof KnowledgePackError) {
      process.stderr.write(`${error.message}\nThe bot did not start. Fix the knowledge pack, then run \`npm run check:knowledge\`.\n`);
      process.exit(1);
    }
    if (error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  await app.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'stopping', signal }, 'stopping: finishing requests in flight');
    const deadline = setTimeout(() => process.exit(1), 10_000);
    deadline.unref();
    await app.stop();
    logger.info({ event: 'stopped' }, 'stopped');
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
