import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineThread } from '../../src/engine-thread/engine-thread.js';
import { createLogger } from '../../src/logger.js';
import { AdaptiveCardRenderer } from '../../src/render/adaptive-card/adaptive-card-renderer.js';
import { cardTexts } from '../support/adaptive-card-check.js';
import { captureLogs } from '../support/capture-logs.js';
import { realEngine } from '../support/engine.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { accountWithDangerAtTheEnd } from '../support/long-account.js';
import { teamsMessage } from '../support/teams-activities.js';
import { postJson, startTestApp } from '../support/test-app.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const now = new Date('2026-12-07T11:00:00Z');
const standIn = (name: string) => new URL(`../support/engine-workers/${name}.mjs`, import.meta.url);
const knowledgeDirectory = process.env.KNOWLEDGE_DIR || undefined;

/** Every tenth question of the evaluation sets (answers, emergencies, off-topic, help), and a long account with the danger last. */
function questions(): string[] {
  const directory = join(root, 'eval');
  const all = readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n'))
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { q: string }).q);
  return [...all.filter((_, index) => index % 10 === 0), accountWithDangerAtTheEnd];
}

describe('the engine thread', function () {
  this.timeout(60_000);

  it('gives exactly the answers the engine gives on the main thread, and the same cards', async () => {
    const thread = new EngineThread(realEngine(), { knowledgeDirectory, logger: createLogger('silent') });
    try {
      assert.equal(await thread.whenReady(), true);
      const cards = new AdaptiveCardRenderer();
      const asked = questions();
      for (const question of asked) {
        const context = { now, area: 'derbyshire' as const };
        const fromThread = await thread.answer(question, context);
        const here = realEngine().answer(question, context);
        assert.deepEqual(fromThread, here, question.slice(0, 80));
        const reply = { card: 'answer' as const, answer: fromThread, privacyWarning: false, showFeedback: true, ref: 'abcdef012345' };
        assert.deepEqual(cards.render(reply).card, cards.render({ ...reply, answer: here }).card, question.slice(0, 80));
      }
      const emergency = await thread.answer(accountWithDangerAtTheEnd, { now });
      assert.equal(emergency.kind, 'emergency', 'the danger in the last sentence of a long account still leads with 999');
    } finally {
      await thread.stop();
    }
  });

  for (const [name, expectedLog] of [
    ['silent', /engine-thread-slow/],
    ['failing', undefined],
    ['crashing', /engine-thread-failed/],
  ] as const) {
    it(`answers on the main thread when the thread is ${name === 'silent' ? 'too slow' : name === 'failing' ? 'unable to answer' : 'dead'}`, async () => {
      const { logger, lines } = captureLogs();
      const thread = new EngineThread(realEngine(), { knowledgeDirectory, logger, workerFile: standIn(name), answerTimeoutMs: 200 });
      try {
        assert.equal(await thread.whenReady(), true);
        const answers = await Promise.all([
          thread.answer('a pupil has shared a nude image', { now }),
          thread.answer('he is outside her house right now and she is terrified', { now }),
        ]);
        assert.equal(answers[0]!.topicId, 'nudes-sharing');
        assert.equal(answers[1]!.kind, 'emergency');
        // Once dead, every later question is answered here at once.
        if (name === 'crashing') assert.equal(thread.running, false);
        assert.equal((await thread.answer('sextortion', { now })).topicId, 'sextortion');
        if (expectedLog)
          assert.ok(
            lines.some((line) => expectedLog.test(line)),
            lines.join('\n'),
          );
        assert.ok(!lines.some((line) => /nude image|outside her house/.test(line)), 'no message text in the logs');
      } finally {
        await thread.stop();
      }
    });
  }

  it('answers on the main thread before it is ready and after it is stopped', async () => {
    const thread = new EngineThread(realEngine(), { knowledgeDirectory, logger: createLogger('silent') });
    assert.equal(thread.running, false);
    assert.equal((await thread.answer('sextortion', { now })).topicId, 'sextortion');
    await thread.stop();
    assert.equal(await thread.whenReady(), false);
    assert.equal((await thread.answer('county lines', { now })).topicId, 'county-lines');
  });

  it('serves the Teams endpoint with ENGINE_THREAD=on: an emergency at the end of a long account leads with 999, and the app stops cleanly', async () => {
    const connector = new FakeBotConnector();
    const serviceUrl = await connector.start();
    const bot = await startTestApp({ ENGINE_THREAD: 'on' });
    try {
      // Wait for the thread to load, so the answers below come from it.
      for (let waited = 0; !bot.logs.some((line) => line.includes('engine-thread-ready')); waited += 50) {
        assert.ok(waited < 30_000, 'the engine thread did not start');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const text of ['a pupil has shared a nude image', accountWithDangerAtTheEnd]) {
        const response = await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text }));
        assert.equal(response.status, 200);
      }
      const [first, second] = await connector.waitForMessages(2);
      const texts = (message: typeof first) =>
        cardTexts((message!.activity.attachments as Array<{ content: unknown }>)[0]!.content).join('\n');
      assert.match(texts(first), /Sharing nudes and semi-nudes/);
      assert.match(texts(second)!.split('\n')[0]!, /999/);
    } finally {
      await bot.stop();
      await connector.stop();
    }
  });
});
