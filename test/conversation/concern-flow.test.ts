import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteRecordStore } from '../../src/storage/sqlite-record-store.js';
import { cardTexts } from '../support/adaptive-card-check.js';
import { blockKitProblems, blockKitText } from '../support/block-kit-check.js';
import { engineWithPossibleRisk } from '../support/engine.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { blockAction, postSigned, slashCommand } from '../support/slack-requests.js';
import { slackTestBed } from '../support/slack-test-bed.js';
import { teamsMessage } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

type Card = { body: unknown[] };
interface SubmitAction {
  type: string;
  title: string;
  data: unknown;
}

/** Every Action.Submit in a card, by title. */
function submitActions(card: unknown): SubmitAction[] {
  const found: SubmitAction[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const candidate = node as SubmitAction;
      if (candidate.type === 'Action.Submit') found.push(candidate);
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(card);
  return found;
}

function press(card: unknown, title: string | RegExp): unknown {
  const action = submitActions(card).find((candidate) =>
    typeof title === 'string' ? candidate.title === title : title.test(candidate.title),
  );
  assert.ok(
    action,
    `no button "${String(title)}" in ${submitActions(card)
      .map((candidate) => candidate.title)
      .join(' | ')}`,
  );
  return action.data;
}

describe('concern flow in Teams: triage by buttons, area remembered, records', () => {
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
  beforeEach(() => connector.reset());

  async function send(activity: Record<string, unknown>): Promise<Card> {
    const before = connector.messages().length;
    const response = await postJson(`${bot.baseUrl}/api/messages`, activity);
    assert.equal(response.status, 200);
    const messages = await connector.waitForMessages(before + 1);
    const attachments = messages.at(-1)!.activity.attachments as Array<{ content: Card }>;
    return attachments[0]!.content;
  }

  it('goes from "I have a concern" to a summary card using buttons only, with back and start again', async () => {
    let card = await send(teamsMessage({ serviceUrl, text: 'I have a concern' }));
    assert.match(cardTexts(card).join('\n'), /Step 1 of 4/);
    card = await send(teamsMessage({ serviceUrl, value: press(card, 'No') }));
    assert.match(cardTexts(card).join('\n'), /Step 2 of 4/);
    card = await send(teamsMessage({ serviceUrl, value: press(card, 'Back') }));
    assert.match(cardTexts(card).join('\n'), /Step 1 of 4/);
    card = await send(teamsMessage({ serviceUrl, value: press(card, 'No') }));
    card = await send(teamsMessage({ serviceUrl, value: press(card, 'Yes') }));
    assert.match(cardTexts(card).join('\n'), /What is the concern about\?/);
    card = await send(teamsMessage({ serviceUrl, value: press(card, /^Nude or semi-nude/) }));
    card = await send(teamsMessage({ serviceUrl, value: press(card, /^Significant harm/) }));
    const text = cardTexts(card).join('\n');
    assert.match(text, /Summary of what to do/);
    assert.match(text, /Allegations Against Staff, Carers and Volunteers Procedure/);
    assert.match(text, /Making a Referral to Social Care Procedure/);
    assert.match(text, /☐/);
    assert.match(text, /01629 535 353/);
    card = await send(teamsMessage({ serviceUrl, value: press(card, 'Start again') }));
    assert.match(cardTexts(card).join('\n'), /Step 1 of 4/);
  });

  it('answers a tampered triage payload politely', async () => {
    const card = await send(teamsMessage({ serviceUrl, value: { sa: 1, action: 'triage', state: { a: 'nudes' } } }));
    assert.match(cardTexts(card).join('\n'), /could not use that button/);
  });

  it('remembers the area a user picks, across conversations, and puts their line first', async () => {
    const user = { id: '29:area-user', name: 'Area User', aadObjectId: '00000000-0000-0000-0000-00000000a4ea' };
    const first = teamsMessage({ serviceUrl, text: 'consultation line' });
    first.from = user;
    const card = await send(first);
    const thanks = await send({ ...teamsMessage({ serviceUrl, value: press(card, 'I work in Derby City') }), from: user });
    assert.match(cardTexts(thanks).join('\n'), /you work in Derby City/);
    const later = teamsMessage({ serviceUrl, conversation: 'groupChat', mention: true, text: 'consultation line' });
    later.from = user;
    const text = cardTexts(await send(later)).join('\n');
    assert.ok(text.indexOf('07812 300 329') < text.indexOf('01629 535 353'), 'Derby City line first');
  });

  it('shows feedback counts in npm run report after buttons are pressed, and keeps no message text', async () => {
    await send(teamsMessage({ serviceUrl, value: { sa: 1, action: 'feedback', topicId: 'sextortion', verdict: 'not-helpful' } }));
    await send(teamsMessage({ serviceUrl, text: 'how do I book the minibus for a girl called Jessamyn' }));
    const database = readdirSync(bot.dataDirectory)
      .filter((name) => name.startsWith('safeguarding-assistant.sqlite'))
      .map((name) => readFileSync(join(bot.dataDirectory, name)).toString('latin1'))
      .join('');
    // assert.ok rather than assert.match: a failure must not print the whole database.
    assert.ok(!/Jessamyn|minibus|consultation line|I have a concern/.test(database), 'message text found in the database');
  });
});

describe('unanswered questions with RECORD_UNANSWERED on', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;

  before(async () => {
    serviceUrl = await connector.start();
    bot = await startTestApp({ RECORD_UNANSWERED: 'on' });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('keeps them only redacted', async () => {
    await postJson(
      `${bot.baseUrl}/api/messages`,
      teamsMessage({ serviceUrl, text: 'how do I book the minibus for a girl called Jessamyn, dob 12/03/2011' }),
    );
    await connector.waitForMessages(1);
    const database = readdirSync(bot.dataDirectory)
      .filter((name) => name.startsWith('safeguarding-assistant.sqlite'))
      .map((name) => readFileSync(join(bot.dataDirectory, name)).toString('latin1'))
      .join('');
    assert.ok(/minibus/.test(database), 'the redacted question was not recorded');
    assert.ok(!/Jessamyn|12\/03\/2011/.test(database), 'unredacted details found in the database');
  });
});

describe('"Is a child in danger right now?": "Yes, now", feedback once per person, and what npm run report says', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;
  const question = 'she keeps talking about a man from the game';

  before(async () => {
    serviceUrl = await connector.start();
    bot = await startTestApp({}, { engine: engineWithPossibleRisk(question) });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  async function send(activity: Record<string, unknown>): Promise<Card> {
    const before = connector.messages().length;
    const response = await postJson(`${bot.baseUrl}/api/messages`, activity);
    assert.equal(response.status, 200);
    const messages = await connector.waitForMessages(before + 1);
    return (messages.at(-1)!.activity.attachments as Array<{ content: Card }>)[0]!.content;
  }

  it('shows the emergency card after "Yes, now", counts the press once, and counts feedback once per person per answer', async () => {
    const possible = await send(teamsMessage({ serviceUrl, text: question }));
    assert.equal(cardTexts(possible)[0], 'Is a child in danger right now? If so, call 999 now.');
    const yes = press(possible, 'Yes, now');
    const emergency = await send(teamsMessage({ serviceUrl, value: yes }));
    assert.deepEqual(cardTexts(emergency).slice(0, 3), ['Call 999 now', 'Why: You said a child is in danger right now.', 'Call 999']);
    await send(teamsMessage({ serviceUrl, value: yes }));

    const notHelpful = press(emergency, 'Not helpful');
    const first = await send(teamsMessage({ serviceUrl, value: notHelpful }));
    assert.equal(cardTexts(first)[0], 'Thanks for your feedback');
    assert.doesNotMatch(JSON.stringify(first), /01629|07812|0344/);
    const again = await send(teamsMessage({ serviceUrl, value: notHelpful }));
    assert.equal(cardTexts(again)[0], 'Feedback updated');

    const store = new SqliteRecordStore(join(bot.dataDirectory, 'safeguarding-assistant.sqlite'), { readonly: true });
    const report = await store.report();
    await store.close();
    assert.deepEqual(report.possibleRisk, { replies: 1, confirmed: 1 });
    assert.equal(
      report.emergencyNotHelpful.reduce((sum, row) => sum + row.count, 0),
      1,
    );
    assert.equal(
      report.feedbackByTopic.reduce((sum, row) => sum + row.helpful + row.notHelpful, 0),
      1,
    );

    const output = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/report.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, DATA_DIR: bot.dataDirectory, MicrosoftAppId: '', SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '' },
      encoding: 'utf8',
    });
    assert.equal(output.status, 0, output.stderr);
    assert.match(
      output.stdout,
      /1 replies asked "Is a child in danger right now\?" \(the possible band\); "Yes, now" was pressed on 1 \(100%\)/,
    );
    assert.match(output.stdout, /1 emergency cards were marked not helpful/);
  });
});

describe('concern flow in Slack', () => {
  const bed = slackTestBed();
  const { slack } = bed;

  function buttonValue(message: { blocks?: unknown }, title: string | RegExp): string {
    const buttons = (message.blocks as Array<{ type: string; elements?: Array<{ text: { text: string }; value: string }> }>)
      .filter((block) => block.type === 'actions')
      .flatMap((block) => block.elements ?? []);
    const found = buttons.find((button) => (typeof title === 'string' ? button.text.text === title : title.test(button.text.text)));
    assert.ok(found, `no button "${String(title)}" in ${buttons.map((button) => button.text.text).join(' | ')}`);
    return found.value;
  }

  async function pressAndRead(value: string, name: string) {
    slack.reset();
    await postSigned(bed.eventsUrl, blockAction(slack.responseUrl(name), value), 'application/x-www-form-urlencoded');
    const [answer] = await slack.waitFor('response_url');
    assert.deepEqual(blockKitProblems(answer!.body), []);
    return answer!.body as { blocks: unknown[]; text: string };
  }

  it('goes from "I have a concern" to a summary using buttons only', async () => {
    slack.reset();
    await postSigned(bed.eventsUrl, slashCommand(slack.responseUrl(), 'I have a concern'), 'application/x-www-form-urlencoded');
    let message = (await slack.waitFor('response_url'))[0]!.body as { blocks: unknown[]; text: string };
    assert.match(blockKitText(message), /Step 1 of 4/);
    message = await pressAndRead(buttonValue(message, 'Yes, at immediate risk'), 's1');
    assert.match(blockKitText(message), /Call 999 now/);
    message = await pressAndRead(buttonValue(message, 'No'), 's2');
    message = await pressAndRead(buttonValue(message, /^Exploitation or county lines/), 's3');
    message = await pressAndRead(buttonValue(message, 'Back'), 's4');
    assert.match(blockKitText(message), /What is the concern about/);
    message = await pressAndRead(buttonValue(message, /^The child committing cybercrime/), 's5');
    message = await pressAndRead(buttonValue(message, /^Emerging or low-level/), 's6');
    const text = blockKitText(message);
    assert.match(text, /Summary of what to do/);
    assert.match(text, /Cyber Choices/);
    assert.match(text, /Providing Early Help Procedure/);
    assert.match(JSON.stringify(message.blocks[0]), /Call 999 now/);
  });

  it("remembers a Slack user's area", async () => {
    await pressAndRead(JSON.stringify({ sa: 1, action: 'area', area: 'derbyshire' }), 'a1');
    slack.reset();
    await postSigned(bed.eventsUrl, slashCommand(slack.responseUrl(), 'consultation line'), 'application/x-www-form-urlencoded');
    const text = blockKitText((await slack.waitFor('response_url'))[0]!.body as { blocks: unknown[] });
    // The one number to ring is now the user's own line; the other area's waits behind "More".
    assert.match(text, /Starting Point \(Derbyshire\): \*01629 535 353\*/);
    assert.doesNotMatch(text, /07812 300 329/);
  });
});
