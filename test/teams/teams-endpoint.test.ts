import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { ConversationRecords } from '../../src/conversation/conversation-records.js';
import { adaptiveCardProblems, cardTexts, visibleTexts } from '../support/adaptive-card-check.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { accountWithDangerAtTheEnd } from '../support/long-account.js';
import { botInstalled, teamsMessage } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

const adaptiveCardType = 'application/vnd.microsoft.card.adaptive';

function cardOf(activity: Record<string, unknown>): Record<string, unknown> {
  const attachments = activity.attachments as Array<{ contentType: string; content: Record<string, unknown> }>;
  assert.equal(attachments.length, 1);
  assert.equal(attachments[0]!.contentType, adaptiveCardType);
  return attachments[0]!.content;
}

function visibleText(card: Record<string, unknown>): string {
  return cardTexts(card).join('\n');
}

describe('Teams endpoint /api/messages (loopback Bot Connector)', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;
  const records = {
    feedback: sinon.spy(),
    feedbackOnce: sinon.stub().returns(true),
    possibleRisk: sinon.spy(),
    dangerConfirmed: sinon.spy(),
    question: sinon.spy(),
    getArea: sinon.stub().returns(undefined),
    setArea: sinon.spy(),
  } satisfies ConversationRecords;

  before(async () => {
    serviceUrl = await connector.start();
    bot = await startTestApp({}, { records });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });
  beforeEach(() => {
    connector.reset();
    records.feedback.resetHistory();
    records.question.resetHistory();
  });

  async function send(activity: Record<string, unknown>, expectedMessages = 1) {
    const response = await postJson(`${bot.baseUrl}/api/messages`, activity);
    assert.equal(response.status, 200, await response.text());
    return connector.waitForMessages(expectedMessages);
  }

  it('answers a personal chat with an Adaptive Card posted as a reply to the activity', async () => {
    const activity = teamsMessage({ serviceUrl, text: 'who do I ring for advice in derbyshire' });
    const [reply] = await send(activity);
    const conversationId = (activity.conversation as { id: string }).id;
    assert.equal(
      reply!.path,
      `/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(String(activity.id))}`,
    );
    const card = cardOf(reply!.activity);
    assert.deepEqual(adaptiveCardProblems(card), []);
    assert.match(visibleText(card), /01629 535 353/);
    assert.match(String(reply!.activity.summary), /999/);
  });

  it('posts the answer and nothing else: no typing activity', async () => {
    await send(teamsMessage({ serviceUrl, text: 'sextortion' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const types = connector.requests
      .filter((request) => request.method === 'POST')
      .map((request) => (request.body as { type: string }).type);
    assert.deepEqual(types, ['message']);
  });

  it('answers an @mention in a channel in the same thread, without the mention in the question', async () => {
    const activity = teamsMessage({ serviceUrl, conversation: 'channel', mention: true, text: 'county lines' });
    const [reply] = await send(activity);
    const conversationId = (activity.conversation as { id: string }).id;
    assert.ok(reply!.path.startsWith(`/v3/conversations/${encodeURIComponent(conversationId)}/activities/`), reply!.path);
    assert.match(visibleText(cardOf(reply!.activity)), /Children at Risk of Exploitation/);
  });

  it('ignores channel messages that do not mention it', async () => {
    const response = await postJson(
      `${bot.baseUrl}/api/messages`,
      teamsMessage({ serviceUrl, conversation: 'channel', text: 'county lines' }),
    );
    assert.equal(response.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(connector.messages().length, 0);
  });

  it('puts 999 first, before any other number, when a child is at immediate risk', async () => {
    const [reply] = await send(teamsMessage({ serviceUrl, text: 'a 13 year old is going to meet an adult from instagram this evening' }));
    const card = cardOf(reply!.activity);
    assert.deepEqual(adaptiveCardProblems(card), []);
    const text = visibleText(card);
    const firstNumber = /\b\d{3}(?:[\d ]*\d)?\b/.exec(text);
    assert.equal(firstNumber?.[0], '999');
    assert.equal((card.body as Array<{ style?: string }>)[0]!.style, 'attention');
  });

  it('leads with 999 when the danger is in the last sentence of a 2,000-character account', async () => {
    assert.ok(accountWithDangerAtTheEnd.length >= 2000);
    const [reply] = await send(teamsMessage({ serviceUrl, text: accountWithDangerAtTheEnd }));
    const card = cardOf(reply!.activity);
    assert.deepEqual(adaptiveCardProblems(card), []);
    assert.equal(visibleTexts(card)[0], 'Call 999 now');
    assert.equal((card.body as Array<{ style?: string }>)[0]!.style, 'attention');
  });

  it('answers a question that names a child without repeating the name, in a private chat too', async () => {
    for (const text of [
      'Kayleigh Morrison (DOB 03/04/2011, DE22 3XX) has been sending nudes to a boy in year 11',
      'Re: Jayden Clarke, 14: a man he met on Roblox is outside his house now and Jayden Clarke is scared',
    ]) {
      connector.reset();
      const [reply] = await send(teamsMessage({ serviceUrl, text }));
      const json = JSON.stringify(reply!.activity);
      assert.doesNotMatch(json, /Kayleigh|Morrison|Jayden|Clarke|DE22|03\/04\/2011/);
      assert.notEqual(cardOf(reply!.activity).body, undefined);
    }
  });

  it('in a channel, does not repeat personal details, answers the general question and offers a private chat', async () => {
    const text = 'a year 8 girl called Jessamyn, mobile 07700 900123, has been sending nudes';
    const [reply] = await send(teamsMessage({ serviceUrl, conversation: 'channel', mention: true, text }));
    const json = JSON.stringify(reply!.activity);
    assert.doesNotMatch(json, /Jessamyn|07700|900123/);
    const card = cardOf(reply!.activity);
    assert.match(visibleText(card), /shared space/i);
    assert.match(visibleText(card), /Sharing nudes and semi-nudes/);
    assert.match(json, /https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=28/);
    assert.ok(!bot.logs.join('').includes('Jessamyn'), 'message text must never reach the logs');
  });

  it('never fetches an attached image and explains why', async () => {
    const attachments = [{ contentType: 'image/png', contentUrl: `${serviceUrl}files/photo-of-child.png`, name: 'photo.png' }];
    const [reply] = await send(teamsMessage({ serviceUrl, attachments }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(connector.requests.filter((request) => request.method === 'GET').length, 0, 'the attachment must not be downloaded');
    const text = visibleText(cardOf(reply!.activity));
    assert.match(text, /could constitute an offence/);
    assert.match(text, /Report Remove|Internet Watch Foundation/);
  });

  it('does not echo markdown or mention injection from the message', async () => {
    const text = '**bold** [click here](https://evil.example/x) <at>Everyone</at> {{DATE(2017-02-14T06:08:39Z,SHORT)}} sexting';
    const [reply] = await send(teamsMessage({ serviceUrl, text }));
    const json = JSON.stringify(reply!.activity);
    assert.doesNotMatch(json, /evil\.example|\*\*bold\*\*|click here|Everyone|2017-02-14/);
  });

  it('sends a welcome card when installed', async () => {
    const [reply] = await send(botInstalled(serviceUrl));
    const card = cardOf(reply!.activity);
    assert.deepEqual(adaptiveCardProblems(card), []);
    const text = visibleText(card);
    assert.match(text, /999/);
    assert.match(text, /what I can help with/i);
  });

  it('runs a follow-up button through the engine like a typed question', async () => {
    const [reply] = await send(teamsMessage({ serviceUrl, value: { sa: 1, action: 'topic', topicId: 'report-remove' } }));
    assert.match(visibleText(cardOf(reply!.activity)), /Report Remove/);
  });

  it('records Helpful / Not helpful and thanks the user', async () => {
    const [reply] = await send(
      teamsMessage({ serviceUrl, value: { sa: 1, action: 'feedback', topicId: 'report-remove', verdict: 'not-helpful' } }),
    );
    assert.ok(records.feedback.calledOnceWith('report-remove', 'not-helpful', 'teams'));
    assert.match(visibleText(cardOf(reply!.activity)), /Thanks for your feedback/);
  });

  it('answers a tampered or unknown button payload politely', async () => {
    for (const value of [{ sa: 1, action: 'topic', topicId: '../../etc/passwd' }, { action: 'delete-everything' }, 'x'.repeat(5000)]) {
      connector.reset();
      const [reply] = await send(teamsMessage({ serviceUrl, value }));
      assert.match(visibleText(cardOf(reply!.activity)), /could not use that button/);
    }
    assert.equal(records.feedback.callCount, 0);
  });

  it('rejects malformed bodies with 4xx and keeps serving', async () => {
    for (const body of ['{not json', '[1,2]', '"text"', '{"no":"type"}']) {
      const response = await postJson(`${bot.baseUrl}/api/messages`, body);
      assert.ok(response.status >= 400 && response.status < 500, `${body} -> ${response.status}`);
    }
    const huge = await postJson(`${bot.baseUrl}/api/messages`, { type: 'message', text: 'x'.repeat(400_000) });
    assert.equal(huge.status, 413);
    const health = await fetch(`${bot.baseUrl}/healthz`);
    assert.equal(health.status, 200);
  });

  it('reports its versions on /healthz', async () => {
    const health = (await (await fetch(`${bot.baseUrl}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health.status, 'ok');
    assert.equal(health.knowledgePack, bot.app.engine.pack.identity.packVersion);
    assert.equal(typeof health.bot, 'string');
  });
});

describe('Teams endpoint with a Microsoft app id', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;

  before(async () => {
    serviceUrl = await connector.start();
    bot = await startTestApp({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'not-a-real-secret' });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('refuses a request without a token (401) and reaches no handler', async () => {
    const response = await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text: 'sexting' }));
    assert.equal(response.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(connector.requests.length, 0);
  });

  it('refuses a malformed token (401)', async () => {
    const response = await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text: 'sexting' }), {
      authorization: 'Bearer not.a.jwt',
    });
    assert.equal(response.status, 401);
    assert.equal(connector.requests.length, 0);
  });
});
