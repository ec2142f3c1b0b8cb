import assert from 'node:assert/strict';
import { adaptiveCardProblems } from '../support/adaptive-card-check.js';
import { type PlaygroundActivity, PlaygroundSession } from '../support/playground-session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Card = Record<string, unknown>;

interface Action {
  type: string;
  title: string;
  data?: unknown;
}

function cardOf(activity: PlaygroundActivity): Card {
  return activity.attachments![0]!.content;
}

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

describe("the playground's simulated leads' channel", () => {
  let bot: TestApp;
  let page: PlaygroundSession;

  before(async () => {
    bot = await startTestApp({ PLAYGROUND: 'on', ESCALATION_TEAMS_CHANNEL: '19:leads@thread.tacv2' });
  });
  after(async () => {
    page?.stop();
    await bot.stop();
  });
  beforeEach(async () => {
    page?.stop();
    page = new PlaygroundSession(bot.baseUrl);
    await page.start();
    await page.waitFor(() => page.botMessages(), 1); // the welcome card
  });

  /** Posts as the page does and resolves with the next bot message in the conversation. */
  async function press(body: { text?: string; value?: unknown }): Promise<Card> {
    const before = page.botMessages().length;
    assert.equal((await page.post(body)).status, 202);
    return cardOf((await page.waitFor(() => page.botMessages(), before + 1)).at(-1)!);
  }

  it('offers a safeguarding lead, posts the request to the simulated channel, and a lead there takes it', async () => {
    assert.equal(page.leadsChannel, true, 'the page is told to show the leads channel');
    const answer = await press({ text: 'a girl called Jessamyn at DE22 1AB on 07700 900123 has shared a nude image' });
    const howSoon = await press({ value: action(answer, /^Ask a safeguarding lead$/).data });
    const confirmation = await press({ value: action(howSoon, /^Today$/).data });
    assert.match(text(confirmation), /exactly what I posted/);

    const [post] = await page.waitFor(() => page.leadsEvents(), 1);
    const postCard = cardOf(post!);
    assert.deepEqual(adaptiveCardProblems(postCard), []);
    assert.match(text(postCard), /<at>Practitioner \(you\)<\/at> asks a safeguarding lead to contact them/);
    assert.match(text(postCard), /Asked in\nthe playground/);

    // A lead's button pressed in the practitioner's own conversation does not count.
    const refused = await press({ value: action(postCard, /take this/i).data });
    assert.match(text(refused), /only in the safeguarding leads' channel/);

    // Pressed in the simulated leads' channel, it does: the card there changes, and the practitioner is told.
    const before = page.botMessages().length;
    assert.equal((await page.post({ value: action(postCard, /take this/i).data, as: 'lead' })).status, 202);
    const [, update] = await page.waitFor(() => page.leadsEvents(), 2);
    assert.equal(update!.type, 'messageUpdate');
    assert.equal(update!.id, post!.id, 'the same card, updated in place');
    assert.match(text(cardOf(update!)), /Taken by <at>Playground lead<\/at>/);
    const told = cardOf((await page.waitFor(() => page.botMessages(), before + 1)).at(-1)!);
    assert.match(text(told), /<at>Playground lead<\/at> has taken your request/);

    for (const event of page.events.filter((each) => each.from?.role !== 'user').slice(2))
      assert.doesNotMatch(JSON.stringify(event), /Jessamyn|DE22|07700/);
  });
});

describe('the playground with no leads channel set', () => {
  let bot: TestApp;
  let page: PlaygroundSession;

  before(async () => {
    bot = await startTestApp({ PLAYGROUND: 'on' });
    page = new PlaygroundSession(bot.baseUrl);
    await page.start();
  });
  after(async () => {
    page.stop();
    await bot.stop();
  });

  it('shows no leads channel and offers no safeguarding lead', async () => {
    assert.equal(page.leadsChannel, false);
    await page.waitFor(() => page.botMessages(), 1);
    assert.equal((await page.post({ text: 'sextortion' })).status, 202);
    const [, answer] = await page.waitFor(() => page.botMessages(), 2);
    assert.deepEqual(
      actions(cardOf(answer!)).filter((each) => /safeguarding lead/i.test(each.title)),
      [],
    );
    assert.equal((await page.post({ value: { sa: 1, action: 'lead-take', request: '0'.repeat(24) }, as: 'lead' })).status, 400);
  });
});
