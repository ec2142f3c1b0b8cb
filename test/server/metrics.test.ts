import assert from 'node:assert/strict';
import { defaultQuestionCountDelayMs } from '../../src/conversation/conversation-records.js';
import { FailingStore } from '../support/failing-store.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { teamsMessage, userAccount } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

/** The value of one series in Prometheus text, or undefined when it is absent. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((label) => labelText.split(',').includes(label))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;

  before(async () => {
    serviceUrl = await connector.start();
    bot = await startTestApp();
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('serves Prometheus text: requests by route and status, answers by kind and risk band, answer time, process figures', async () => {
    const questions = ['a 13 year old is going to meet an adult from instagram this evening', 'county lines', 'how do I book the minibus'];
    for (const text of questions)
      assert.equal((await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text }))).status, 200);
    await postJson(
      `${bot.baseUrl}/api/messages`,
      teamsMessage({ serviceUrl, value: { sa: 1, action: 'topic', topicId: 'report-remove' } }),
    );
    await postJson(`${bot.baseUrl}/api/messages`, '{not json');
    await fetch(`${bot.baseUrl}/no/such/page/29:test-user`);

    const response = await fetch(`${bot.baseUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();

    assert.equal(series(text, 'safeguarding_http_requests_total', { route: '/api/messages', method: 'POST', status: '200' }), 4);
    assert.equal(series(text, 'safeguarding_http_requests_total', { route: '/api/messages', method: 'POST', status: '400' }), 1);
    assert.equal(series(text, 'safeguarding_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }), 1);
    assert.equal(series(text, 'safeguarding_answers_total', { platform: 'teams', kind: 'emergency', risk: 'emergency' }), 1);
    assert.equal(series(text, 'safeguarding_answers_total', { platform: 'teams', kind: 'answer', risk: 'none' }), 2);
    assert.equal(series(text, 'safeguarding_answers_total', { platform: 'teams', kind: 'fallback', risk: 'none' }), 1);
    assert.equal(series(text, 'safeguarding_answer_duration_seconds_count', { platform: 'teams' }), 4);
    assert.ok(series(text, 'safeguarding_answer_duration_seconds_bucket', { platform: 'teams', le: '+Inf' }) === 4);
    assert.equal(series(text, 'safeguarding_store_errors_total'), undefined, 'no store errors, so no series yet');
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ])
      assert.notEqual(series(text, name), undefined, name);

    // Nothing a user wrote, and nobody's id.
    for (const secret of ['instagram', 'minibus', 'county lines', userAccount.id, userAccount.aadObjectId, 'no/such/page'])
      assert.ok(!text.includes(secret), `"${secret}" must not appear in /metrics`);
  });
});

describe('GET /metrics counts record store failures', () => {
  const connector = new FakeBotConnector();
  let bot: TestApp;
  let serviceUrl: string;

  before(async () => {
    serviceUrl = await connector.start();
    bot = await startTestApp({}, { store: new FailingStore() });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('by store and operation, while the user still gets the answer', async () => {
    assert.equal((await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text: 'sexting' }))).status, 200);
    await connector.waitForMessages(1);
    // Question counts are written a moment after the answer (defaultQuestionCountDelayMs).
    await new Promise((resolve) => setTimeout(resolve, 3 * defaultQuestionCountDelayMs));
    const text = await (await fetch(`${bot.baseUrl}/metrics`)).text();
    assert.equal(series(text, 'safeguarding_store_errors_total', { store: 'failing', operation: 'getArea' }), 1);
    assert.equal(series(text, 'safeguarding_store_errors_total', { store: 'failing', operation: 'recordQuestion' }), 1);
  });
});

describe('GET /metrics settings', () => {
  it('with METRICS_TOKEN, answers only a request bearing it', async () => {
    const bot = await startTestApp({ METRICS_TOKEN: 'a-long-enough-metrics-token' });
    try {
      assert.equal((await fetch(`${bot.baseUrl}/metrics`)).status, 401);
      const wrong = await fetch(`${bot.baseUrl}/metrics`, { headers: { authorization: 'Bearer a-long-enough-metrics-tokeN' } });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.headers.get('www-authenticate'), 'Bearer');
      const right = await fetch(`${bot.baseUrl}/metrics`, { headers: { authorization: 'Bearer a-long-enough-metrics-token' } });
      assert.equal(right.status, 200);
      assert.match(await right.text(), /safeguarding_http_requests_total/);
    } finally {
      await bot.stop();
    }
  });

  it('with METRICS=off, there is no /metrics', async () => {
    const bot = await startTestApp({ METRICS: 'off' });
    try {
      assert.equal((await fetch(`${bot.baseUrl}/metrics`)).status, 404);
    } finally {
      await bot.stop();
    }
  });
});
