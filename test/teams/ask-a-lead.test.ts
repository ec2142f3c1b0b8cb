import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adaptiveCardProblems } from '../support/adaptive-card-check.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { botAccount, teamsMessage, userAccount } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

const leadsChannel = '19:leads@thread.tacv2';
const question = 'a girl called Jessamyn who lives at DE22 1AB, her number is 07700 900123, has shared a nude image';
const typedDetails = /Jessamyn|DE22|1AB|07700|900123/i;

interface Action {
  type: string;
  title: string;
  data?: unknown;
}

type Card = Record<string, unknown>;

function cardOf(activity: Record<string, unknown>): Card {
  const [attachment] = activity.attachments as Array<{ content: Card }>;
  return attachment!.content;
}

/** Every Action.Submit in a card, in order. */
function actions(card: Card): Action[] {
  const found: Action[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as Action).type === 'Action.Submit') found.push(node as Action);
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(card.body);
  return found;
}

function action(card: Card, title: RegExp): Action {
  const found = actions(card).find((each) => title.test(each.title));
  assert.ok(
    found,
    `no button ${title} in ${actions(card)
      .map((each) => each.title)
      .join(', ')}`,
  );
  return found;
}

/** What a reader sees, in order: every text and title, and the values of facts. */
function text(card: Card): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string') texts.push(value);
        else if (key !== 'data') walk(value);
      }
    }
  };
  walk(card.body);
  return texts.join('\n');
}

function mentions(card: Card): Array<{ text: string; mentioned: { id: string; name: string } }> {
  return ((card.msteams as { entities?: [] } | undefined)?.entities ?? []) as Array<{
    text: string;
    mentioned: { id: string; name: string };
  }>;
}

/** The bot being added to the leads' team: Teams posts this to the bot, from the team's General channel. */
function addedToLeadsTeam(serviceUrl: string): Record<string, unknown> {
  return {
    type: 'conversationUpdate',
    id: 'update-leads-team',
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:team-owner', name: 'Team Owner' },
    recipient: botAccount,
    membersAdded: [botAccount],
    conversation: { id: leadsChannel, conversationType: 'channel', isGroup: true, tenantId: 'test-tenant' },
    channelData: { eventType: 'teamMemberAdded', team: { id: leadsChannel, name: 'Safeguarding leads' }, tenant: { id: 'test-tenant' } },
  };
}

/** A lead's press on a card in a channel (the leads' by default). */
function leadPress(serviceUrl: string, value: unknown, options: { channel?: string; tenant?: string; lead?: string } = {}) {
  const channel = options.channel ?? leadsChannel;
  const tenant = options.tenant ?? 'test-tenant';
  const lead = options.lead ?? 'Lead One';
  return {
    ...teamsMessage({ serviceUrl, value }),
    from: { id: `29:${lead.toLowerCase().replace(/ /g, '-')}`, name: lead, aadObjectId: '00000000-0000-0000-0000-00000000a1a1' },
    conversation: { id: `${channel};messageid=1700000000999`, conversationType: 'channel', isGroup: true, tenantId: tenant },
    channelData: { tenant: { id: tenant }, team: { id: channel }, channel: { id: channel } },
  };
}

let now = new Date('2026-11-24T10:00:00Z');

describe('Ask a safeguarding lead in Teams (loopback Bot Connector, ESCALATION_TEAMS_CHANNEL set)', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;

  before(async () => {
    serviceUrl = await connector.start();
    bot = await startTestApp({ ESCALATION_TEAMS_CHANNEL: leadsChannel }, { clock: () => now });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });
  beforeEach(() => {
    connector.reset();
    now = new Date('2026-11-24T10:00:00Z');
  });

  /** Requests posted to the leads' channel: each a new thread (a conversation created there) with the request as its first message. */
  function leadsPosts(): Array<{ card: Card; body: Record<string, unknown> }> {
    return connector
      .conversationsCreated()
      .filter((body) => (body.channelData as { channel?: { id?: string } } | undefined)?.channel?.id === leadsChannel)
      .map((body) => ({ body, card: cardOf(body.activity as Record<string, unknown>) }));
  }

  async function send(activity: Record<string, unknown>, expectedMessages = 1) {
    const before = connector.messages().length;
    const response = await postJson(`${bot.baseUrl}/api/messages`, activity);
    assert.equal(response.status, 200, await response.text());
    const messages = await connector.waitForMessages(before + expectedMessages);
    return messages.slice(before);
  }

  it("says so, and posts nothing, before the bot has been added to the leads' team", async () => {
    const [answer] = await send(teamsMessage({ serviceUrl, text: 'sextortion' }));
    const [howSoon] = await send(teamsMessage({ serviceUrl, value: action(cardOf(answer!.activity), /safeguarding lead/i).data }));
    const [reply] = await send(teamsMessage({ serviceUrl, value: action(cardOf(howSoon!.activity), /^Today$/).data }));
    assert.match(text(cardOf(reply!.activity)), /could not reach your safeguarding leads/);
    assert.match(text(cardOf(reply!.activity)), /Nothing was sent/);
    assert.deepEqual(leadsPosts(), []);
    assert.match(bot.logs.join(''), /has not yet learnt the leads' Teams channel/);
  });

  it("learns the leads' channel when added to that team, then posts there, updates it when a lead takes it, and tells the asker privately", async () => {
    await send(addedToLeadsTeam(serviceUrl));
    connector.reset();

    const [answer] = await send(teamsMessage({ serviceUrl, text: question }));
    const answerCard = cardOf(answer!.activity);
    const topic = bot.app.engine.answer(question).title;
    assert.ok(text(answerCard).includes(topic));
    const offer = action(answerCard, /^Ask a safeguarding lead$/);
    assert.deepEqual(adaptiveCardProblems(answerCard), []);

    const [howSoon] = await send(teamsMessage({ serviceUrl, value: offer.data }));
    const howSoonCard = cardOf(howSoon!.activity);
    assert.match(text(howSoonCard), /Nothing you typed is sent/);
    assert.deepEqual(
      actions(howSoonCard).map((each) => each.title),
      ['Today', 'This week'],
    );

    // Today: the request goes to the leads' channel as a new thread, and the asker's confirmation to their own chat.
    const [confirmation] = await send(teamsMessage({ serviceUrl, value: action(howSoonCard, /^Today$/).data }));
    const [post] = leadsPosts();
    assert.ok(post, "a post to the leads' channel");
    assert.equal(leadsPosts().length, 1);
    assert.equal(post.body.isGroup, true);
    const postCard = post.card;
    assert.deepEqual(adaptiveCardProblems(postCard), []);
    const posted = text(postCard);
    assert.match(posted, /<at>Test Practitioner<\/at> asks a safeguarding lead to contact them/);
    assert.deepEqual(
      mentions(postCard).map((mention) => mention.mentioned.id),
      [userAccount.id],
    );
    assert.ok(posted.includes(topic), `the post names the topic "${topic}"`);
    assert.match(posted, /How soon\nToday/);
    assert.match(posted, /Asked in\nTeams/);
    assert.match(posted, /Asked at\n10:00 on Tuesday 24 November 2026 \(UK time\)/);
    assert.ok(
      confirmation!.path.startsWith(`/v3/conversations/${encodeURIComponent('a:personal-test')}/activities/`),
      "in the asker's own chat",
    );
    const confirmationText = text(cardOf(confirmation!.activity));
    assert.match(confirmationText, /exactly what I posted/);
    assert.ok(confirmationText.includes(posted.split('\nNot taken yet.')[0]!), 'the confirmation repeats the request word for word');

    // A lead takes it in the channel: the post is updated in place, the asker is told in their chat, and nothing else is said.
    const take = action(postCard, /take this/i);
    const [told] = await send(leadPress(serviceUrl, take.data));
    const [update] = await connector.waitForUpdates(1);
    const thread = `${leadsChannel};messageid=`;
    assert.match(
      decodeURIComponent(update!.path),
      new RegExp(`^/v3/conversations/${thread.replace(/[.;]/g, '\\$&')}(\\d+)/activities/\\1$`),
    );
    const updatedCard = cardOf(update!.activity);
    assert.deepEqual(adaptiveCardProblems(updatedCard), []);
    assert.match(text(updatedCard), /Taken by <at>Lead One<\/at> at 10:00 on Tuesday 24 November 2026/);
    assert.deepEqual(
      actions(updatedCard).map((each) => each.title),
      ['Done'],
    );
    assert.equal(
      told!.path,
      `/v3/conversations/${encodeURIComponent('a:personal-test')}/activities`,
      "a new message in the asker's own chat",
    );
    const toldCard = cardOf(told!.activity);
    assert.match(text(toldCard), /<at>Lead One<\/at> has taken your request/);
    assert.deepEqual(
      mentions(toldCard).map((mention) => mention.mentioned.name),
      ['Lead One'],
    );
    // The route answers only once the turn is over, so every call the press made has been recorded.
    assert.equal(
      connector.messages().filter((message) => message.path.includes(encodeURIComponent(leadsChannel))).length,
      0,
      'no reply in the channel',
    );

    // Done closes it.
    await postJson(`${bot.baseUrl}/api/messages`, leadPress(serviceUrl, action(updatedCard, /^Done$/).data, { lead: 'Lead Two' }));
    const [, closed] = await connector.waitForUpdates(2);
    assert.match(text(cardOf(closed!.activity)), /Done: closed by <at>Lead Two<\/at>/);
    assert.deepEqual(actions(cardOf(closed!.activity)), []);

    // What the asker typed went nowhere but their own answer, nor to the logs or the records.
    const others = connector.requests.filter((request) => request.body !== answer!.activity);
    assert.ok(others.length >= 6);
    for (const request of others) assert.doesNotMatch(JSON.stringify(request.body), typedDetails, request.path);
    assert.doesNotMatch(bot.logs.join(''), typedDetails);
    for (const file of readdirSync(bot.dataDirectory))
      assert.doesNotMatch(readFileSync(join(bot.dataDirectory, file)).toString('latin1'), typedDetails, file);
  });

  it("refuses a lead's press from another channel or another tenant", async () => {
    await send(addedToLeadsTeam(serviceUrl));
    connector.reset();
    const [answer] = await send(teamsMessage({ serviceUrl, text: 'county lines' }));
    const [howSoon] = await send(teamsMessage({ serviceUrl, value: action(cardOf(answer!.activity), /safeguarding lead/i).data }));
    await send(teamsMessage({ serviceUrl, value: action(cardOf(howSoon!.activity), /^This week$/).data }));
    const take = action(leadsPosts().at(-1)!.card, /take this/i).data;

    const [elsewhere] = await send(leadPress(serviceUrl, take, { channel: '19:other@thread.tacv2' }));
    assert.match(text(cardOf(elsewhere!.activity)), /only in the safeguarding leads' channel/);
    const [otherTenant] = await send(leadPress(serviceUrl, take, { tenant: 'other-tenant' }));
    assert.match(text(cardOf(otherTenant!.activity)), /only in the safeguarding leads' channel/);
    assert.deepEqual(connector.updates(), []);
  });

  it('asks how soon in the 1:1 chat when the offer is pressed in a channel, saying nothing in the channel', async () => {
    const [answer] = await send(teamsMessage({ serviceUrl, conversation: 'channel', mention: true, text: 'online bullying' }));
    const offer = action(cardOf(answer!.activity), /safeguarding lead/i);
    const [howSoon] = await send(teamsMessage({ serviceUrl, conversation: 'channel', value: offer.data }));
    const opened = connector.requests.find((request) => request.path === '/v3/conversations' && request.method === 'POST');
    assert.ok(opened, 'a 1:1 chat was opened');
    assert.deepEqual(
      (opened!.body as { members: Array<{ id: string }> }).members.map((member) => member.id),
      [userAccount.id],
    );
    assert.doesNotMatch(howSoon!.path, /channel-test/);
    assert.match(text(cardOf(howSoon!.activity)), /How soon do you need a safeguarding lead/);
  });

  it('puts the offer after 999 on an emergency card, never instead of it', async () => {
    const [reply] = await send(teamsMessage({ serviceUrl, text: 'a 13 year old is going to meet an adult from instagram tonight' }));
    const card = cardOf(reply!.activity);
    const body = card.body as Array<{ id?: string; style?: string }>;
    assert.equal(body[0]!.style, 'attention');
    const offerAt = body.findIndex((element) => element.id === 'lead-offer');
    assert.ok(offerAt > 0);
    assert.equal(offerAt, body.length - 2, 'just before the 999 line and the source');
    assert.match(JSON.stringify(body[0]), /tel:999/);
    assert.deepEqual(adaptiveCardProblems(card), []);
  });
});

describe('Teams without ESCALATION_TEAMS_CHANNEL', () => {
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

  it('offers no safeguarding lead', async () => {
    await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text: 'sextortion' }));
    const [answer] = await connector.waitForMessages(1);
    assert.deepEqual(
      actions(cardOf(answer!.activity)).filter((each) => /safeguarding lead/i.test(each.title)),
      [],
    );
  });
});
