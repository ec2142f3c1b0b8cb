import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultKnowledgeDirectory } from '../../src/knowledge/load-knowledge-pack.js';
import { runBot } from '../support/bot-process.js';

/** Starts the real bot with these settings and expects it to refuse: exit 1 and one line on standard error. */
async function refusesToStart(settings: Record<string, string>): Promise<string> {
  const bot = await runBot(settings, { waitForListening: false });
  const exit = await bot.exited;
  assert.equal(exit.code, 1, `exit ${exit.code}; stderr: ${bot.stderr()}`);
  const lines = bot.stderr().trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${bot.stderr()}`);
  assert.doesNotMatch(bot.stderr(), /^\s+at /m, 'no stack trace');
  assert.ok(!bot.events().some((event) => event.event === 'started'), 'it must not have started');
  return lines[0]!;
}

/** A port that is certainly closed: bound, read, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('start-up problems: one line naming what to change, no stack trace, exit 1', function () {
  this.timeout(30_000);

  it('a port already in use names PORT', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const line = await refusesToStart({ PORT: String(port) });
      assert.match(line, new RegExp(`PORT ${port} is already in use`));
      assert.match(line, /set PORT to a free port/);
    } finally {
      taken.close();
    }
  });

  it('bad settings name each variable, without repeating a password', async () => {
    const line = await refusesToStart({ PORT: 'eighty', METRICS: 'maybe', DATABASE_URL: 'mysql://bot:hunter2-not-real@db/records' });
    assert.match(line, /PORT must be a whole number/);
    assert.match(line, /METRICS must be "on" or "off"/);
    assert.match(line, /DATABASE_URL must be a PostgreSQL address/);
    assert.doesNotMatch(line, /hunter2/);
  });

  it('an unreachable database names DATABASE_URL, without the password', async () => {
    const port = await closedPort();
    const line = await refusesToStart({ DATABASE_URL: `postgres://bot:hunter2-not-real@127.0.0.1:${port}/records` });
    assert.match(line, /^DATABASE_URL: /);
    assert.match(line, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(line, /hunter2/);
  });

  it('a broken knowledge pack names the file, the entry and the fix', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'broken-pack-'));
    try {
      cpSync(defaultKnowledgeDirectory, folder, { recursive: true });
      const topic = join(folder, 'topics', 'sextortion.yaml');
      writeFileSync(
        topic,
        readFileSync(topic, 'utf8').replace('designated-safeguarding-professional,', 'designated-safeguarding-professinal,'),
      );
      const line = await refusesToStart({ KNOWLEDGE_DIR: folder, PACK_CACHE_DIR: join(folder, '.cache') });
      assert.match(line, /^The knowledge pack is broken/);
      assert.match(line, /topics\/sextortion\.yaml:\d+/);
      assert.match(line, /"designated-safeguarding-professinal" does not exist in contacts\.yaml/);
      assert.match(line, /Fix: /);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
