import assert from 'node:assert/strict';
import { defaultQuestionCountDelayMs } from '../../src/conversation/conversation-records.js';
import { cardTexts } from '../support/adaptive-card-check.js';
import { FailingStore } from '../support/failing-store.js';
import { FakeBotConnector, type RecordedRequest } from '../support/fake-bot-connector.js';
import { teamsMessage } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

/** A message activity carrying an Adaptive Card: the answer itself, as opposed to any side call. */
function isAnswerCard(request: RecordedRequest): boolean {
  const body = request.body as { type?: string; attachments?: Array<{ contentType?: string }> } | undefined;
  return (
    request.method === 'POST' &&
    body?.type === 'message' &&
    (body.attachments ?? []).some((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
  );
}

function visibleText(request: { activity: Record<string, unknown> }): string {
  const [attachment] = request.activity.attachments as Array<{ content: unknown }>;
  return cardTexts(attachment!.content).join('\n');
}

describe('side calls never cost the answer', () => {
  const connector = new FakeBotConnector();
  const store = new FailingStore();
  let serviceUrl: string;
  let bot: TestApp;

  before(async () => {
    serviceUrl = await connector.start();
    bot = await startTestApp({ RECORD_UNANSWERED: 'on' }, { store });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });
  beforeEach(() => connector.reset());

  it('gets the answer card through a connector that refuses (503) everything else, and posts no typing activity', async () => {
    connector.refuse = (request) => !isAnswerCard(request);
    const response = await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text: 'a pupil has shared a nude image' }));
    assert.equal(response.status, 200);
    const [answer] = await connector.waitForMessages(1);
    assert.match(visibleText(answer!), /Sharing nudes and semi-nudes/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const typing = connector.requests.filter((request) => (request.body as { type?: string } | undefined)?.type === 'typing');
    assert.equal(typing.length, 0, 'no typing activity may be posted, refused or not');
    assert.equal(connector.requests.filter((request) => !isAnswerCard(request)).length, 0, 'nothing but the answer was sent');
  });

  it('answers a question, a feedback button and an area button while every record read and write fails, and logs each failure', async () => {
    const before = store.calls.length;
    const sends = [
      teamsMessage({ serviceUrl, text: 'how do I book the minibus for the trip' }),
      teamsMessage({ serviceUrl, value: { sa: 1, action: 'feedback', topicId: 'sextortion', verdict: 'helpful' } }),
      teamsMessage({ serviceUrl, value: { sa: 1, action: 'area', area: 'derby-city' } }),
      teamsMessage({ serviceUrl, text: 'consultation line' }),
    ];
    for (const activity of sends) {
      const response = await postJson(`${bot.baseUrl}/api/messages`, activity);
      assert.equal(response.status, 200);
    }
    const replies = await connector.waitForMessages(sends.length);
    const texts = replies.map(visibleText);
    assert.match(texts[0]!, /999/);
    assert.match(texts[1]!, /Thanks for your feedback/);
    assert.match(texts[2]!, /you work in Derby City/);
    // The area could not be read back, so the bot asks again: no area, not an error.
    assert.match(texts[3]!, /Which area do you work in/);
    assert.doesNotMatch(texts.join('\n'), /something went wrong/i);
    // Question counts are written a moment after the answer (defaultQuestionCountDelayMs).
    await new Promise((resolve) => setTimeout(resolve, 3 * defaultQuestionCountDelayMs));
    const attempted = new Set(store.calls.slice(before));
    for (const call of ['getArea', 'recordQuestion', 'recordFeedback', 'setArea']) assert.ok(attempted.has(call), call);
    const failures = bot.logs.filter((line) => line.includes('"record-failed"')).map((line) => JSON.parse(line).record as string);
    for (const record of ['get-area', 'question', 'feedback', 'set-area']) assert.ok(failures.includes(record), record);
    assert.ok(!bot.logs.join('').includes('minibus'), 'message text must never reach the logs');
  });
});
