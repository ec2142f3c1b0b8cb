import assert from 'node:assert/strict';
import * as ACData from 'adaptivecards-templating';
import sinon from 'sinon';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { teamsMessage } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * What each message costs beyond answering it: nothing that start-up could have done once. The
 * card templates are parsed when the bot starts and only bound per message, and replies to one
 * service URL go through one kept connector client, over kept-alive connections.
 */
describe('the hot path: per-message work only', () => {
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

  it('parses no card template while answering, and reuses connections to the connector', async () => {
    const parse = sinon.spy(ACData.Template, 'parseInterpolatedString');
    try {
      const messages = [
        teamsMessage({ serviceUrl, text: 'county lines' }),
        teamsMessage({ serviceUrl, text: 'a 13 year old is going to meet an adult from instagram this evening' }),
        teamsMessage({ serviceUrl, text: 'how do I book the minibus' }),
        teamsMessage({ serviceUrl, text: 'I have a concern' }),
        teamsMessage({ serviceUrl, value: { sa: 1, action: 'feedback', topicId: 'county-lines', verdict: 'helpful' } }),
        teamsMessage({ serviceUrl, text: 'help' }),
      ];
      for (const message of messages) assert.equal((await postJson(`${bot.baseUrl}/api/messages`, message)).status, 200);
      await connector.waitForMessages(messages.length);
      assert.equal(parse.callCount, 0, 'templates are parsed once, at start-up, and bound per message');
    } finally {
      parse.restore();
    }
    const connections = new Set(connector.requests.map((request) => request.clientPort));
    assert.equal(connections.size, 1, `${connector.requests.length} replies, sent one after another, over ${connections.size} connections`);
  });
});
