import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { messageCharacters } from '../../src/engine/index.js';
import { accountWithDangerAtTheEnd } from '../support/long-account.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The little of the page's DOM the predicates use (the tests are type-checked without the DOM library). */
interface PageGlobals {
  document: { querySelectorAll(selector: string): { length: number } };
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'safeguarding-playground-screenshots');

/**
 * The playground in a real browser: Debian's Chromium driven by playwright-core. CI installs
 * Chromium (.ci/run); elsewhere the test is skipped, with a note, only when Chromium is absent.
 */
describe('local playground in Chromium', function () {
  this.timeout(60_000);
  let bot: TestApp;
  let browser: Browser;
  let page: Page;
  const foreignRequests: string[] = [];
  const scriptErrors: string[] = [];

  before(async function () {
    if (!existsSync(chromiumPath)) {
      if (process.env.CI) throw new Error(`Chromium is required in CI but was not found at ${chromiumPath}`);
      console.warn(`    (skipped: no Chromium at ${chromiumPath}; install it with apt-get install chromium)`);
      this.skip();
    }
    mkdirSync(screenshots, { recursive: true });
    bot = await startTestApp({ PLAYGROUND: 'on' });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const origin = new URL(bot.baseUrl).origin;
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:')) foreignRequests.push(url);
    });
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') scriptErrors.push(message.text());
    });
    await page.goto(`${bot.baseUrl}/`);
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
  });

  const cards = () => page.locator('#transcript li.bot .ac-adaptiveCard');

  async function ask(question: string): Promise<void> {
    const before = await cards().count();
    await page.fill('#question', question);
    await page.press('#question', 'Enter');
    await moreCards(before);
  }

  /**
   * Waits for more than `count` cards in the transcript. The predicate is a function, not a string:
   * the page's Content-Security-Policy forbids eval, which a string predicate needs once it polls.
   */
  async function moreCards(count: number): Promise<void> {
    await page.waitForFunction(
      ([selector, known]) => (globalThis as unknown as PageGlobals).document.querySelectorAll(selector).length > known,
      ['#transcript li.bot .ac-adaptiveCard', count] as const,
    );
  }

  it('looks like a product: name, purpose, the 999 rule and suggested questions', async () => {
    await cards().first().waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Safeguarding Assistant');
    assert.match((await page.locator('.rule').textContent()) ?? '', /call 999/);
    assert.ok((await page.locator('#chips button').count()) >= 4);
    assert.match((await cards().first().textContent()) ?? '', /what I can help with/i);
  });

  it('answers a typed question with a card rendered by the Adaptive Cards renderer', async () => {
    await ask('who do I call for advice in Derbyshire');
    const card = cards().last();
    assert.match((await card.textContent()) ?? '', /01629 535 353/);
    await page.screenshot({ path: join(screenshots, 'playground-answer.png') });
    await page
      .locator('#transcript li.bot')
      .last()
      .screenshot({ path: join(screenshots, 'card-answer-desktop.png') });
  });

  it('runs a card button and shows the next card', async () => {
    const before = await cards().count();
    await cards().last().locator('button.ac-pushButton', { hasText: 'Helpful' }).first().click();
    await moreCards(before);
    assert.ok((await cards().count()) > before);
  });

  it('shows 999 first for an emergency', async () => {
    await ask('a 13 year old is going to meet an adult from instagram tonight');
    const text = (await cards().last().textContent()) ?? '';
    const firstNumber = /\d{3}(?:[\d ]*\d)?/.exec(text);
    assert.equal(firstNumber?.[0], '999');
    await page.screenshot({ path: join(screenshots, 'playground-emergency.png') });
    await page
      .locator('#transcript li.bot')
      .last()
      .screenshot({ path: join(screenshots, 'card-emergency-desktop.png') });
  });

  it('takes a 2,000-character account whole and, when the danger is in its last sentence, leads with 999', async () => {
    const account = accountWithDangerAtTheEnd;
    assert.ok(account.length >= 2000, String(account.length));
    assert.equal(Number(await page.locator('#question').getAttribute('maxlength')), messageCharacters);
    assert.match((await page.locator('#question-limit').textContent()) ?? '', /8,000 characters/);
    await ask(account);
    const sent = await page.locator('#transcript li.user').last().textContent();
    assert.equal(sent, account, 'the whole account reached the bot');
    const first = cards().last().locator('.ac-textBlock').first();
    assert.equal((await first.textContent())?.trim(), 'Call 999 now');
  });

  it('reflows at 400 px: no sideways scrolling, "Call 999 now" whole, and "More" opens in place', async () => {
    await page.setViewportSize({ width: 400, height: 860 });
    await ask('a 13 year old is going to meet an adult from instagram tonight');
    const emergency = page.locator('#transcript li.bot').last();
    await emergency.scrollIntoViewIfNeeded();
    await emergency.screenshot({ path: join(screenshots, 'card-emergency-400.png') });
    const heading = cards().last().locator('.ac-textBlock').first();
    const box = await heading.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 400, JSON.stringify(box));
    await ask('should I look at the image?');
    const answer = page.locator('#transcript li.bot').last();
    await answer.screenshot({ path: join(screenshots, 'card-answer-400.png') });
    await answer.locator('button', { hasText: 'More' }).click();
    await answer.getByText('Key points').waitFor();
    const widths = await page.evaluate<{ scroll: number; client: number }>(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    );
    assert.ok(widths.scroll <= widths.client, JSON.stringify(widths));
    await page.screenshot({ path: join(screenshots, 'playground-400.png') });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('shows the Slack rendering of the last answer', async () => {
    await page.check('#slack-switch');
    await page.locator('#slack-preview .sk-header').first().waitFor();
    assert.match((await page.locator('#slack-preview').textContent()) ?? '', /999/);
    assert.match((await page.locator('#slack-json').textContent()) ?? '', /"blocks"/);
    await page.screenshot({ path: join(screenshots, 'playground-slack-view.png') });
    await page.uncheck('#slack-switch');
  });

  it('made no request to any other host and raised no script errors', () => {
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(scriptErrors, []);
  });
});

describe("local playground in Chromium: the simulated leads' channel", function () {
  this.timeout(60_000);
  let bot: TestApp;
  let browser: Browser;
  let page: Page;
  const scriptErrors: string[] = [];
  const foreignRequests: string[] = [];

  before(async function () {
    if (!existsSync(chromiumPath)) {
      if (process.env.CI) throw new Error(`Chromium is required in CI but was not found at ${chromiumPath}`);
      this.skip();
    }
    mkdirSync(screenshots, { recursive: true });
    bot = await startTestApp({ PLAYGROUND: 'on', ESCALATION_TEAMS_CHANNEL: '19:leads@thread.tacv2' });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(bot.baseUrl).origin;
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) foreignRequests.push(request.url());
    });
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') scriptErrors.push(message.text());
    });
    await page.goto(`${bot.baseUrl}/`);
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
  });

  const chat = () => page.locator('#transcript li.bot .ac-adaptiveCard');
  const leads = () => page.locator('#leads-transcript li.bot .ac-adaptiveCard');

  it('asks a lead from an answer, shows the request in the leads channel, and a lead there takes it', async () => {
    await chat().first().waitFor();
    assert.equal(await page.locator('#leads-panel').isVisible(), true);
    await page.fill('#question', 'a pupil has shared a nude image');
    await page.press('#question', 'Enter');
    await chat().nth(1).waitFor();
    await chat().nth(1).locator('button.ac-pushButton', { hasText: 'Ask a safeguarding lead' }).click();
    await chat().nth(2).waitFor();
    await chat().nth(2).locator('button.ac-pushButton', { hasText: 'Today' }).click();
    await chat().nth(3).waitFor();
    assert.match((await chat().nth(3).textContent()) ?? '', /exactly what I posted/);

    await leads().first().waitFor();
    const request = (await leads().first().textContent()) ?? '';
    assert.match(request, /@Practitioner \(you\) asks a safeguarding lead to contact them/);
    assert.doesNotMatch(request, /<at>/, 'mentions are shown as names');
    await page.screenshot({ path: join(screenshots, 'playground-leads-channel.png') });

    await leads().first().locator('button.ac-pushButton', { hasText: "I'll take this" }).click();
    await page.locator('#leads-transcript li.bot', { hasText: 'Taken by @Playground lead' }).waitFor();
    assert.equal(await leads().count(), 1, 'the request card is updated in place');
    await chat().nth(4).waitFor();
    assert.match((await chat().nth(4).textContent()) ?? '', /@Playground lead has taken your request/);
    await page.screenshot({ path: join(screenshots, 'playground-lead-took-it.png') });
  });

  it('made no request to any other host and raised no script errors', () => {
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(scriptErrors, []);
  });
});
