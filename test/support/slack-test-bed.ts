import type { AppDependencies } from '../../src/app.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { signingSecret } from './slack-requests.js';
import { startTestApp, type TestApp } from './test-app.js';

export interface SlackTestBed {
  slack: FakeSlackApi;
  bot: TestApp;
  eventsUrl: string;
}

/**
 * Inside a describe(): the real app with Slack on, talking to a loopback stand-in for Slack's Web
 * API, started before the tests and stopped after them.
 */
export function slackTestBed(environment: Record<string, string> = {}, dependencies: Partial<AppDependencies> = {}): SlackTestBed {
  const bed = { slack: new FakeSlackApi(), eventsUrl: '' } as SlackTestBed;
  before(async () => {
    const apiUrl = await bed.slack.start();
    bed.bot = await startTestApp(
      { SLACK_SIGNING_SECRET: signingSecret, SLACK_BOT_TOKEN: 'xoxb-test-not-real', SLACK_API_URL: apiUrl, ...environment },
      dependencies,
    );
    bed.eventsUrl = `${bed.bot.baseUrl}/slack/events`;
  });
  after(async () => {
    await bed.bot?.stop();
    await bed.slack.stop();
  });
  return bed;
}
