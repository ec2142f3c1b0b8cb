import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockKitProblems, blockKitText } from '../support/block-kit-check.js';
import type { SlackCall } from '../support/fake-slack-api.js';
import { blockAction, type Presser, postSigned, slashCommand } from '../support/slack-requests.js';
import { slackTestBed } from '../support/slack-test-bed.js';

const form = 'application/x-www-form-urlencoded';
const leadsChannel = 'C0LEADS';
/** Typed in the question: a name, a postcode and a phone number. None of them may leave the asker's own answer. */
const question = 'a girl called Jessamyn who lives at DE22 1AB, her number is 07700 900123, has shared a nude image';
const typedDetails = /Jessamyn|DE22|1AB|07700|900123/i;

interface Button {
  text: { text: string };
  value: string;
  style?: string;
}

type Blocks = Array<{ type: string; block_id?: string; text?: { text: string }; elements?: Button[] }>;

function buttons(message: Record<string, unknown>): Button[] {
  return ((message.blocks ?? []) as Blocks).filter((block) => block.type === 'actions').flatMap((block) => block.elements ?? []);
}

function button(message: Record<string, unknown>, title: RegExp): Button {
  const found = buttons(message).find((each) => title.test(each.text.text));
  assert.ok(
    found,
    `no button ${title} in ${buttons(message)
      .map((each) => each.text.text)
      .join(', ')}`,
  );
  return found;
}

/** A Tuesday morning in November, UK time (GMT): the clock the bot reads. */
let now = new Date('2026-11-24T10:00:00Z');
const clock = () => now;

/**
 * Inside a describe(): the real app with Slack on and ESCALATION_SLACK_CHANNEL set, on the clock
 * above, and the presses a practitioner and a lead make.
 */
function slackWithLeads() {
  const bed = slackTestBed({ ESCALATION_SLACK_CHANNEL: leadsChannel }, { clock });
  const { slack } = bed;
  let responses = 0;

  beforeEach(() => {
    slack.reset();
    now = new Date('2026-11-24T10:00:00Z');
  });

  /** Posts to the endpoint as Slack would, then waits for the answer at a fresh response_url. */
  async function press(value: string, presser: Presser = {}): Promise<Record<string, unknown>> {
    const name = `r${++responses}`;
    const response = await postSigned(bed.eventsUrl, blockAction(slack.responseUrl(name), value, undefined, presser), form);
    assert.equal(response.status, 200);
    const answered = await slack.waitFor('response_url', slack.callsTo('response_url').length + 1);
    return answered.at(-1)!.body;
  }

  /** Presses a button whose press is answered only by calls to the Web API (a lead's press that works). */
  async function pressQuietly(value: string, presser: Presser, api: string, count: number): Promise<SlackCall[]> {
    const response = await postSigned(bed.eventsUrl, blockAction(slack.responseUrl(`q${++responses}`), value, undefined, presser), form);
    assert.equal(response.status, 200);
    return slack.waitFor(api, count);
  }

  async function ask(text: string): Promise<Record<string, unknown>> {
    const response = await postSigned(bed.eventsUrl, slashCommand(slack.responseUrl(`a${++responses}`), text), form);
    assert.equal(response.status, 200);
    const [answer] = await slack.waitFor('response_url');
    return answer!.body;
  }

  /** Asks, presses "Ask a safeguarding lead", then "Today": resolves with the answer, the confirmation and the post. */
  async function askALead(text: string) {
    const answer = await ask(text);
    const howSoon = await press(button(answer, /safeguarding lead/i).value);
    const confirmation = await press(button(howSoon, /^Today$/).value);
    const [post] = await slack.waitFor('chat.postMessage');
    return { answer, howSoon, confirmation, post: post! };
  }

  return { bed, slack, press, pressQuietly, ask, askALead };
}

describe('Ask a safeguarding lead in Slack (HTTP mode, ESCALATION_SLACK_CHANNEL set)', () => {
  const { bed, slack, press, pressQuietly, ask, askALead } = slackWithLeads();

  it('offers "Ask a safeguarding lead", posts only the mention, topic, urgency, platform and time, and tells the asker who took it', async () => {
    const answer = await ask(question);
    assert.equal(answer.response_type, 'ephemeral');
    const offer = button(answer, /safeguarding lead/i);
    assert.deepEqual(blockKitProblems(answer), []);
    const topic = (answer.blocks as Blocks).find((block) => block.type === 'header')!.text!.text;

    // How soon? Private to the asker, saying what will be sent.
    const howSoon = await press(offer.value);
    assert.equal(howSoon.response_type, 'ephemeral');
    assert.match(blockKitText(howSoon), /Nothing you typed is sent/);
    assert.deepEqual(
      buttons(howSoon).map((each) => each.text.text),
      ['Today', 'This week'],
    );
    assert.equal(slack.callsTo('chat.postMessage').length, 0, 'nothing is posted before the asker says how soon');

    // Today: posted to the leads' channel, and only there.
    const confirmation = await press(button(howSoon, /^Today$/).value);
    const [post] = await slack.waitFor('chat.postMessage');
    assert.equal(post!.body.channel, leadsChannel);
    assert.deepEqual(blockKitProblems(post!.body), []);
    const posted = blockKitText(post!.body);
    assert.match(posted, /<@U0PRACTITIONER> asks a safeguarding lead to contact them/);
    assert.ok(posted.includes(topic), `the post names the topic "${topic}"`);
    assert.match(posted, /\*How soon:\* Today/);
    assert.match(posted, /\*Asked in:\* Slack/);
    assert.match(posted, /\*Asked at:\* 10:00 on Tuesday 24 November 2026 \(UK time\)/);
    assert.match(String(post!.body.text), /<@U0PRACTITIONER>/, 'the notification names the asker too');

    // The asker's private confirmation shows exactly what was posted.
    assert.equal(confirmation.response_type, 'ephemeral');
    assert.match(blockKitText(confirmation), /exactly what I posted/);
    const requestSection = (post!.body.blocks as Blocks)[0]!.text!.text;
    assert.ok(
      (confirmation.blocks as Blocks).some((block) => block.text?.text === requestSection),
      'the confirmation repeats the request word for word',
    );

    // A lead takes it in the leads' channel.
    const take = button(post!.body, /take this/i);
    const [update] = await pressQuietly(take.value, { user: 'ULEAD1', channel: leadsChannel }, 'chat.update', 1);
    assert.equal(update!.body.channel, leadsChannel);
    assert.equal(update!.body.ts, '1700000000.000200');
    assert.match(blockKitText(update!.body), /Taken by <@ULEAD1> at 10:00 on Tuesday 24 November 2026/);
    assert.deepEqual(
      buttons(update!.body).map((each) => each.text.text),
      ['Done'],
    );

    // The asker is told privately, in a direct message, which lead will contact them.
    const [opened] = await slack.waitFor('conversations.open');
    assert.equal(opened!.body.users, 'U0PRACTITIONER');
    const told = (await slack.waitFor('chat.postMessage', 2))[1]!;
    assert.equal(told.body.channel, 'D0TEST');
    assert.match(blockKitText(told.body), /<@ULEAD1> has taken your request/);

    // Done closes it.
    const done = button(update!.body, /^Done$/);
    const [, closed] = await pressQuietly(done.value, { user: 'ULEAD2', channel: leadsChannel }, 'chat.update', 2);
    assert.match(blockKitText(closed!.body), /Done: closed by <@ULEAD2>/);
    assert.deepEqual(buttons(closed!.body), []);

    // What the asker typed appears in no Slack call but their own answer (the first response_url).
    const [ownAnswer, ...others] = slack.calls.filter((call) => call.api !== 'auth.test');
    assert.equal(ownAnswer!.api, 'response_url');
    assert.ok(others.length >= 7, `${others.length} calls checked`);
    for (const call of others) assert.doesNotMatch(JSON.stringify(call.body), typedDetails, `${call.api} carries what was typed`);
    assert.doesNotMatch(bed.bot.logs.join(''), typedDetails);
    // And the records hold none of it.
    for (const file of readdirSync(bed.bot.dataDirectory))
      assert.doesNotMatch(readFileSync(join(bed.bot.dataDirectory, file)).toString('latin1'), typedDetails, file);
  });

  it('puts the offer after 999 on an emergency, never instead of it', async () => {
    const answer = await ask('a 13 year old is going to meet an adult from instagram tonight');
    const blocks = answer.blocks as Blocks;
    assert.match(blocks[0]!.text!.text, /Call 999 now/);
    const offerAt = blocks.findIndex((block) => block.block_id === 'sa_lead');
    assert.ok(offerAt > 0, 'the offer is there');
    assert.ok(blocks.findIndex((block) => /999/.test(block.text?.text ?? '')) < offerAt, '999 comes first');
    assert.equal((blocks.at(-1) as { type: string }).type, 'context', 'the 999 line and source stay last');
  });

  it('offers it on clarify and fallback replies, but not on help, greetings or questions outside its subject', async () => {
    const clarify = await ask('our filtering blocked a child looking up how to buy a knife');
    assert.match(blockKitText(clarify), /Did you mean/);
    assert.ok(button(clarify, /safeguarding lead/i));
    slack.reset();
    const fallback = await ask('weird thing happened with a kid today');
    assert.match(blockKitText(fallback), /I have a concern/);
    assert.ok(button(fallback, /safeguarding lead/i));
    slack.reset();
    const offTopic = await ask('printer is jammed');
    assert.match(blockKitText(offTopic), /outside what I can help with/);
    assert.equal(
      buttons(offTopic).some((each) => /safeguarding lead/i.test(each.text.text)),
      false,
    );
    for (const greeting of ['', 'hello']) {
      slack.reset();
      const help = await ask(greeting);
      assert.match(blockKitText(help), /what I can help with/i);
      assert.equal(
        buttons(help).some((each) => /safeguarding lead/i.test(each.text.text)),
        false,
      );
    }
  });

  it('sends a request once however often the asker presses, and names the lead who already took it', async () => {
    const { howSoon, post } = await askALead('sextortion');
    const again = await press(button(howSoon, /^This week$/).value);
    assert.match(blockKitText(again), /already asked a safeguarding lead/);
    assert.doesNotMatch(blockKitText(again), /Taken by/);
    assert.equal(slack.callsTo('chat.postMessage').length, 1, 'posted once');
    await pressQuietly(button(post.body, /take this/i).value, { user: 'ULEAD1', channel: leadsChannel }, 'chat.update', 1);
    const afterTaken = await press(button(howSoon, /^Today$/).value);
    assert.match(blockKitText(afterTaken), /already asked a safeguarding lead/);
    assert.match(blockKitText(afterTaken), /Taken by <@ULEAD1>/);
    assert.equal(slack.callsTo('chat.postMessage').length, 2, 'posted once, and the asker told once');
  });

  it("refuses a lead's press from another channel or another workspace, and a second lead taking a taken request", async () => {
    const { post } = await askALead('county lines');
    const take = button(post.body, /take this/i).value;

    const elsewhere = await press(take, { user: 'ULEAD1', channel: 'C0OTHER' });
    assert.match(blockKitText(elsewhere), /only in the safeguarding leads' channel/);
    const otherWorkspace = await press(take, { user: 'ULEAD1', channel: leadsChannel, team: 'T0OTHER' });
    assert.match(blockKitText(otherWorkspace), /only in the safeguarding leads' channel/);
    assert.equal(slack.callsTo('chat.update').length, 0, 'the request was not taken');

    await pressQuietly(take, { user: 'ULEAD1', channel: leadsChannel }, 'chat.update', 1);
    const second = await press(take, { user: 'ULEAD2', channel: leadsChannel });
    assert.match(blockKitText(second), /already taken this request/);
    assert.equal(slack.callsTo('chat.update').length, 1);
  });

  it('refuses a forged request id like any tampered button', async () => {
    const forged = await press(JSON.stringify({ sa: 1, action: 'lead-take', request: '<!channel>' }), {
      user: 'ULEAD1',
      channel: leadsChannel,
    });
    assert.match(blockKitText(forged), /could not use that button/);
    const unknown = await press(JSON.stringify({ sa: 1, action: 'ask-lead', topicId: 'no-such-topic', urgency: 'today' }));
    assert.match(blockKitText(unknown), /could not use that button/);
    assert.equal(slack.callsTo('chat.postMessage').length, 0);
  });
});

describe('Ask a safeguarding lead in Slack: a request nobody takes', () => {
  const { bed, slack, askALead } = slackWithLeads();

  it('posts a request nobody took within 2 working hours again, once, with a note', async () => {
    await askALead('online bullying');
    now = new Date('2026-11-24T11:59:00Z');
    assert.equal(await bed.bot.app.repostOverdueLeadRequests(), 0, 'not yet due');
    now = new Date('2026-11-24T12:00:00Z');
    assert.equal(await bed.bot.app.repostOverdueLeadRequests(), 1);
    const [, again] = await slack.waitFor('chat.postMessage', 2);
    assert.equal(again!.body.channel, leadsChannel);
    assert.match(blockKitText(again!.body), /Nobody has taken this within 2 working hours, so it is posted again/);
    assert.ok(button(again!.body, /take this/i));
    const [first] = await slack.waitFor('chat.update');
    assert.equal(first!.body.ts, '1700000000.000200');
    assert.match(blockKitText(first!.body), /Posted again: nobody took this within 2 working hours/);
    assert.deepEqual(buttons(first!.body), [], 'the first copy loses its buttons');
    now = new Date('2026-11-27T12:00:00Z');
    assert.equal(await bed.bot.app.repostOverdueLeadRequests(), 0, 'posted again once only');
    assert.equal(slack.callsTo('chat.postMessage').length, 2);

    const metrics = await (await fetch(`${bed.bot.baseUrl}/metrics`)).text();
    assert.match(metrics, /safeguarding_lead_requests_total\{platform="slack",event="asked"\} 1\n/);
    assert.match(metrics, /safeguarding_lead_requests_total\{platform="slack",event="reposted"\} 1\n/);
  });
});

describe('Slack without ESCALATION_SLACK_CHANNEL', () => {
  const bed = slackTestBed();
  const { slack } = bed;

  it('offers no safeguarding lead and refuses the button', async () => {
    await postSigned(bed.eventsUrl, slashCommand(slack.responseUrl('n1'), 'sextortion'), form);
    const [answer] = await slack.waitFor('response_url');
    assert.match(blockKitText(answer!.body), /Sextortion/i);
    assert.deepEqual(
      buttons(answer!.body).filter((each) => /safeguarding lead/i.test(each.text.text)),
      [],
    );
    slack.reset();
    await postSigned(
      bed.eventsUrl,
      blockAction(slack.responseUrl('n2'), JSON.stringify({ sa: 1, action: 'ask-lead', topicId: 'sextortion' })),
      form,
    );
    const [refused] = await slack.waitFor('response_url');
    assert.match(blockKitText(refused!.body), /could not use that button/);
  });
});
