import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type AppDependencies, buildApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { captureLogs } from './capture-logs.js';

export interface TestApp {
  app: App;
  baseUrl: string;
  /** Every log line the app wrote, to check that no message text ever reaches the logs. */
  logs: string[];
  /** Where this app keeps its records (a fresh temporary folder unless DATA_DIR was given). */
  dataDirectory: string;
  stop(): Promise<void>;
}

/** Starts the real app on a free loopback port with the given environment. */
export async function startTestApp(
  environment: Record<string, string> = {},
  dependencies: Partial<AppDependencies> = {},
): Promise<TestApp> {
  const { logger, lines: logs } = captureLogs();
  const knowledge = process.env.KNOWLEDGE_DIR ? { KNOWLEDGE_DIR: process.env.KNOWLEDGE_DIR } : {};
  const dataDirectory = mkdtempSync(join(tmpdir(), 'safeguarding-data-'));
  // The engine thread is off unless a test turns it on (test/server/engine-thread.test.ts): each would load a second engine.
  const config = readConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    ENGINE_THREAD: 'off',
    DATA_DIR: dataDirectory,
    ...knowledge,
    ...environment,
  });
  const app = await buildApp(config, { logger, ...dependencies });
  const { port } = await app.start();
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    dataDirectory: config.dataDirectory,
    async stop() {
      await app.stop();
      if (!environment.DATA_DIR) rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
