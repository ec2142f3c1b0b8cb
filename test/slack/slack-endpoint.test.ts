import assert from 'node:assert/strict';
import { blockKitProblems, blockKitText } from '../support/block-kit-check.js';
import { failingEngine } from '../support/engine.js';
import { blockAction, eventCallback, postSigned, slashCommand } from '../support/slack-requests.js';
import { type SlackTestBed, slackTestBed } from '../support/slack-test-bed.js';

const form = 'application/x-www-form-urlencoded';
const json = 'application/json';

interface SlackMessageBody {
  response_type?: string;
  text: string;
  blocks: Array<{ text?: { text: string } }>;
}

/**
 * Sends a slash command as Slack would and returns the answer posted to its response_url. The
 * acknowledgement itself is an empty 200, well within Slack's 3 seconds.
 */
async function slashCommandAnswer(bed: SlackTestBed, text: string): Promise<SlackMessageBody> {
  const started = performance.now();
  const response = await postSigned(bed.eventsUrl, slashCommand(bed.slack.responseUrl(), text), form);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), '', 'the acknowledgement carries no answer');
  assert.ok(performance.now() - started < 3000, "acknowledged within Slack's 3 seconds");
  const [answer] = await bed.slack.waitFor('response_url');
  return answer!.body as unknown as SlackMessageBody;
}

describe('Slack endpoint /slack/events (loopback Web API and response_url)', () => {
  const bed = slackTestBed();
  const { slack } = bed;
  beforeEach(() => slack.reset());

  it('answers the URL verification challenge', async () => {
    const response = await postSigned(bed.eventsUrl, JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }), json);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { challenge: 'abc123' });
  });

  it('acknowledges /safeguarding within 3 seconds, then answers privately at response_url, with the numbers and the 999 line', async () => {
    const message = await slashCommandAnswer(bed, 'who do I ring for advice in derbyshire');
    assert.equal(message.response_type, 'ephemeral');
    assert.deepEqual(blockKitProblems(message), []);
    const text = blockKitText(message);
    assert.match(text, /01629 535 353/);
    assert.match(text, /If a child is at immediate risk, call 999/);
  });

  it('shows help for an empty /safeguarding', async () => {
    const message = await slashCommandAnswer(bed, '');
    assert.match(blockKitText(message), /what I can help with/i);
  });

  it('leads with 999 for an emergency', async () => {
    const message = await slashCommandAnswer(bed, 'boy has gone missing after meeting a man from fortnite');
    assert.match(message.blocks[0]!.text!.text, /Call 999 now/);
    assert.match(message.text, /^CALL 999 NOW/);
  });

  it('refuses forged, stale and unsigned requests with 401 before any handler runs', async () => {
    const body = slashCommand(slack.responseUrl(), 'sexting');
    const forged = await postSigned(bed.eventsUrl, body, form, { secret: 'wrong-secret' });
    assert.equal(forged.status, 401);
    const stale = await postSigned(bed.eventsUrl, body, form, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    assert.equal(stale.status, 401);
    const unsigned = await fetch(bed.eventsUrl, { method: 'POST', headers: { 'content-type': form }, body });
    assert.equal(unsigned.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      slack.calls.filter((call) => call.api !== 'auth.test'),
      [],
    );
  });

  it('answers an @mention in the thread of the mention', async () => {
    const event = {
      type: 'app_mention',
      user: 'U0PRACTITIONER',
      text: '<@UBOTUSER> county lines',
      ts: '1700000000.000100',
      channel: 'C0TEST',
      event_ts: '1700000000.000100',
    };
    const response = await postSigned(bed.eventsUrl, eventCallback(event), json);
    assert.equal(response.status, 200);
    const [post] = await slack.waitFor('chat.postMessage');
    assert.equal(post!.body.channel, 'C0TEST');
    assert.equal(post!.body.thread_ts, '1700000000.000100');
    assert.deepEqual(blockKitProblems(post!.body), []);
    assert.match(blockKitText(post!.body), /Children at Risk of Exploitation/);
  });

  it('does not repeat personal details from a channel and suggests a direct message, privately', async () => {
    const text = '<@UBOTUSER> a girl called Jessamyn in year 9, dob 12/03/2011, has been sending nudes';
    const event = {
      type: 'app_mention',
      user: 'U0PRACTITIONER',
      text,
      ts: '1700000000.000500',
      channel: 'C0TEST',
      event_ts: '1700000000.000500',
    };
    await postSigned(bed.eventsUrl, eventCallback(event), json);
    const [post] = await slack.waitFor('chat.postMessage');
    const [reminder] = await slack.waitFor('chat.postEphemeral');
    assert.doesNotMatch(JSON.stringify(post!.body) + JSON.stringify(reminder!.body), /Jessamyn|12\/03\/2011/);
    assert.match(blockKitText(post!.body), /nudes/i);
    assert.equal(reminder!.body.user, 'U0PRACTITIONER');
    assert.match(blockKitText(reminder!.body), /app_redirect\?app=A0TEST/);
    assert.ok(!bed.bot.logs.join('').includes('Jessamyn'));
  });

  it('answers every direct message', async () => {
    const event = {
      type: 'message',
      channel_type: 'im',
      user: 'U0PRACTITIONER',
      text: 'what is report remove',
      ts: '1700000000.000600',
      channel: 'D0TEST',
    };
    await postSigned(bed.eventsUrl, eventCallback(event), json);
    const [post] = await slack.waitFor('chat.postMessage');
    assert.equal(post!.body.channel, 'D0TEST');
    assert.match(blockKitText(post!.body), /Report Remove/);
  });

  it('ignores its own messages', async () => {
    const event = {
      type: 'message',
      channel_type: 'im',
      bot_id: 'BBOT',
      text: 'Report Remove',
      ts: '1700000000.000700',
      channel: 'D0TEST',
    };
    await postSigned(bed.eventsUrl, eventCallback(event), json);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(slack.callsTo('chat.postMessage').length, 0);
  });

  it('never downloads a shared file and warns instead', async () => {
    const files = [
      {
        id: 'F0TEST',
        name: 'photo.jpg',
        mimetype: 'image/jpeg',
        url_private: `${slack.baseUrl}/files/photo.jpg`,
        url_private_download: `${slack.baseUrl}/files/photo.jpg`,
      },
    ];
    const event = {
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      user: 'U0PRACTITIONER',
      text: '',
      files,
      ts: '1700000000.000800',
      channel: 'D0TEST',
    };
    await postSigned(bed.eventsUrl, eventCallback(event), json);
    const [post] = await slack.waitFor('chat.postMessage');
    assert.match(blockKitText(post!.body), /could constitute an offence/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      slack.calls.filter((call) => call.api.startsWith('GET') || call.api.startsWith('files.')),
      [],
    );
  });

  it('runs a button through the engine and answers at response_url', async () => {
    const response = await postSigned(
      bed.eventsUrl,
      blockAction(slack.responseUrl('b1'), JSON.stringify({ sa: 1, action: 'topic', topicId: 'report-remove' })),
      form,
    );
    assert.equal(response.status, 200);
    const [answer] = await slack.waitFor('response_url');
    assert.equal(answer!.body.response_type, 'ephemeral');
    assert.deepEqual(blockKitProblems(answer!.body), []);
    assert.match(blockKitText(answer!.body), /Report Remove/);
  });

  it('answers a tampered button politely', async () => {
    await postSigned(bed.eventsUrl, blockAction(slack.responseUrl('b2'), '{"sa":1,"action":"topic","topicId":"<!channel>"}'), form);
    const [answer] = await slack.waitFor('response_url');
    assert.match(blockKitText(answer!.body), /could not use that button/);
  });

  it('publishes the App Home with the knowledge pack version', async () => {
    const event = { type: 'app_home_opened', user: 'U0PRACTITIONER', channel: 'D0TEST', tab: 'home', event_ts: '1700000000.000900' };
    await postSigned(bed.eventsUrl, eventCallback(event), json);
    const [publish] = await slack.waitFor('views.publish');
    const view = publish!.body.view as { type: string; blocks: unknown[] };
    assert.equal(view.type, 'home');
    const text = JSON.stringify(view.blocks);
    assert.match(text, new RegExp(`Knowledge pack ${bed.bot.app.engine.pack.identity.packVersion.replace(/\./g, '\\.')}`));
    assert.match(text, /Emergency/);
    assert.match(text, /14 March 2025/);
  });

  it('does not let message text inject mentions, channel pings or links', async () => {
    const message = await slashCommandAnswer(bed, '<!channel> <!here> <@U999> <https://evil.example|click> sexting');
    assert.doesNotMatch(JSON.stringify(message), /<!channel>|<!here>|<@U999>|evil\.example/);
  });
});

describe('Slack endpoint when answering fails', () => {
  const bed = slackTestBed({}, { engine: failingEngine() });
  const { slack } = bed;

  it('still answers /safeguarding with 999 and the consultation lines', async () => {
    const text = blockKitText(await slashCommandAnswer(bed, 'sexting'));
    assert.match(text, /999/);
    assert.match(text, /01629 535 353/);
    assert.match(text, /07812 300 329/);
  });

  it('still answers a mention with the safety message', async () => {
    const event = {
      type: 'app_mention',
      user: 'U0PRACTITIONER',
      text: '<@UBOTUSER> sexting',
      ts: '1700000000.001000',
      channel: 'C0TEST',
      event_ts: '1700000000.001000',
    };
    await postSigned(bed.eventsUrl, eventCallback(event), json);
    const [post] = await slack.waitFor('chat.postMessage');
    assert.match(blockKitText(post!.body), /07812 300 329/);
  });
});
