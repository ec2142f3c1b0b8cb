import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockKitText } from '../support/block-kit-check.js';
import { blockAction, postSigned, slashCommand } from '../support/slack-requests.js';
import { type SlackTestBed, slackTestBed } from '../support/slack-test-bed.js';

const form = 'application/x-www-form-urlencoded';

/**
 * Slack's Web API out of reach when the bot starts and after: auth.test never returns (or cannot
 * connect). response_url, on another host at Slack, still works, so answers still arrive.
 */
async function commandIsAnswered(bed: SlackTestBed, text: string, expected: RegExp): Promise<void> {
  bed.slack.reset();
  const started = performance.now();
  const response = await postSigned(bed.eventsUrl, slashCommand(bed.slack.responseUrl('unreachable'), text), form);
  const acknowledgedIn = performance.now() - started;
  assert.equal(response.status, 200);
  assert.ok(acknowledgedIn < 3000, `acknowledged in ${Math.round(acknowledgedIn)} ms; Slack gives up after 3 s`);
  const [answer] = await bed.slack.waitFor('response_url');
  assert.match(blockKitText(answer!.body), expected);
}

describe('Slack with its Web API hanging (auth.test never answers)', () => {
  const environment: Record<string, string> = {};
  let hanging: Server;
  let apiCalls: string[] = [];
  before(async () => {
    hanging = createServer((request) => {
      apiCalls.push(request.url ?? '');
    });
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    environment.SLACK_API_URL = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/api/`;
  });
  const bed = slackTestBed(environment);
  after(() => {
    hanging.closeAllConnections();
    hanging.close();
  });

  it('acknowledges /safeguarding at once and answers at response_url while auth.test is still waiting', async () => {
    await commandIsAnswered(bed, 'county lines', /Children at Risk of Exploitation/);
    assert.ok(
      apiCalls.some((path) => path.includes('auth.test')),
      'auth.test was asked, and the command did not wait for it',
    );
  });

  it('answers a button press at response_url too', async () => {
    bed.slack.reset();
    apiCalls = [];
    const response = await postSigned(
      bed.eventsUrl,
      blockAction(bed.slack.responseUrl('b'), JSON.stringify({ sa: 1, action: 'topic', topicId: 'report-remove' })),
      form,
    );
    assert.equal(response.status, 200);
    const [answer] = await bed.slack.waitFor('response_url');
    assert.match(blockKitText(answer!.body), /Report Remove/);
  });
});

describe('Slack with its Web API refusing connections', () => {
  const environment: Record<string, string> = {};
  before(async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    environment.SLACK_API_URL = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/api/`;
    closed.close();
  });
  const bed = slackTestBed(environment);

  it('acknowledges /safeguarding at once and answers at response_url', async () => {
    await commandIsAnswered(bed, 'what is report remove', /Report Remove/);
    await commandIsAnswered(bed, '', /what I can help with/i);
    assert.ok(
      bed.bot.logs.some((line) => line.includes('"slack-auth-test-failed"')),
      'the failed auth.test is logged',
    );
  });
});
