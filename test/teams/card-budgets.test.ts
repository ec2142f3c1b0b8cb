import assert from 'node:assert/strict';
import { adaptiveCardProblems, visible999, visibleTexts, visibleWords } from '../support/adaptive-card-check.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { teamsMessage } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The card a stressed practitioner can act on in ten seconds, measured on what lands: real replies
 * from the Teams endpoint for ordinary questions and for emergencies. Before anything is expanded,
 * the median answer shows at most 90 words and none more than 140; "999" appears at most twice;
 * the median reply activity is at most 8 KB.
 */
const ordinaryQuestions = [
  'a pupil has shared a nude image',
  'should I look at the image?',
  'who do I call for advice in Derbyshire',
  'sextortion',
  'county lines',
  'concern about a member of staff messaging a pupil on snapchat',
  'how do I make a referral to social care',
  'a boy in year 8 is being bullied in a group chat',
  'adult messaging a 12 year old on Roblox',
  'will the child get a criminal record for sending nudes',
  'should we take her phone away',
  'report terrorist content',
  'deepfake nudes of a year 9 girl going round',
  'Starting Point opening hours',
  'child watching porn on the family ipad',
  'what is the Online Safety Act',
  'a 15 year old is being pressured by her boyfriend who is 19 and checks her phone',
  'where do I report an indecent image of a child',
  'my DSL is off, who do I talk to',
  'a year 10 boy is sharing extremist videos',
];
const emergencies = [
  'a 13 year old is going to meet an adult from instagram tonight',
  'child is being abused on a live stream right now',
  'she has gone to meet a man from snapchat and is not answering her phone',
];

const budget = { medianWords: 90, maxWords: 140, max999: 2, medianActivityBytes: 8 * 1024 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

describe('card budgets on the Teams endpoint', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;
  const measured: Array<{ question: string; words: number; count999: number; bytes: number; card: Record<string, unknown> }> = [];

  before(async function () {
    this.timeout(60_000);
    serviceUrl = await connector.start();
    bot = await startTestApp();
    for (const question of [...ordinaryQuestions, ...emergencies]) {
      connector.reset();
      const response = await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text: question }));
      assert.equal(response.status, 200);
      const [reply] = await connector.waitForMessages(1);
      const activity = reply!.activity;
      const card = (activity.attachments as Array<{ content: Record<string, unknown> }>)[0]!.content;
      measured.push({
        question,
        words: visibleWords(card),
        count999: visible999(card),
        bytes: Buffer.byteLength(JSON.stringify(activity), 'utf8'),
        card,
      });
    }
    if (process.env.SHOW_BUDGETS) {
      for (const row of measured)
        console.log(`${String(row.words).padStart(4)} words ${row.count999}x999 ${(row.bytes / 1024).toFixed(1)} KB  ${row.question}`);
      const answers = measured.filter((row) => ordinaryQuestions.includes(row.question));
      console.log(
        `median ${median(answers.map((row) => row.words))} words, max ${Math.max(...measured.map((row) => row.words))}, median ${(median(measured.map((row) => row.bytes)) / 1024).toFixed(1)} KB`,
      );
    }
  });
  after(async () => {
    await bot?.stop();
    await connector.stop();
  });

  it('sends valid cards', () => {
    for (const row of measured) assert.deepEqual(adaptiveCardProblems(row.card), [], row.question);
  });

  it(`shows at most ${budget.medianWords} words for the median answer before anything is expanded, and never more than ${budget.maxWords}`, () => {
    const answers = measured.filter((row) => ordinaryQuestions.includes(row.question));
    assert.ok(median(answers.map((row) => row.words)) <= budget.medianWords, `median ${median(answers.map((row) => row.words))}`);
    for (const row of measured)
      assert.ok(row.words <= budget.maxWords, `${row.words} words: ${row.question}\n${visibleTexts(row.card).join(' | ')}`);
  });

  it('shows "999" at most twice before anything is expanded, and at least once', () => {
    for (const row of measured) assert.ok(row.count999 >= 1 && row.count999 <= budget.max999, `${row.count999}: ${row.question}`);
  });

  it(`sends a median reply activity of at most ${budget.medianActivityBytes / 1024} KB`, () => {
    const bytes = median(measured.map((row) => row.bytes));
    assert.ok(bytes <= budget.medianActivityBytes, `median ${bytes} bytes`);
  });

  it('leads every emergency with "Call 999 now", and says why', () => {
    for (const row of measured.filter((each) => emergencies.includes(each.question))) {
      const texts = visibleTexts(row.card);
      assert.equal(texts[0], 'Call 999 now', row.question);
      assert.match(texts[1]!, /^Why: /, row.question);
    }
  });

  it('shows "Did you mean" only where the bot is unsure', () => {
    const unsure = measured.filter((row) => visibleTexts(row.card).includes('Did you mean'));
    assert.ok(unsure.length <= 3, unsure.map((row) => row.question).join(', '));
  });
});
