import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationError,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type Claim,
  ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { routeConsoleToLogger } from '../../src/console-to-logger.js';
import { runBot } from '../support/bot-process.js';
import { captureLogs } from '../support/capture-logs.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { teamsMessage } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

const appId = '11111111-2222-3333-4444-555555555555';

/** An RS256 token signed with a key of our own: well formed, claims right, signature nobody vouches for. */
function forgedToken(serviceUrl: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })}.${part({
    iss: 'https://api.botframework.com',
    aud: appId,
    serviceurl: serviceUrl,
    nbf: now - 60,
    exp: now + 3600,
  })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')}`;
}

/**
 * Stands in for Microsoft's token validation: each known token carries the claims given here,
 * and any other token is refused. Connector clients are the SDK's own, unauthenticated, so replies
 * reach the loopback connector.
 */
class StandInAuthentication extends BotFrameworkAuthentication {
  private readonly sdk = new ConfigurationBotFrameworkAuthentication({});

  constructor(private readonly tokens: Record<string, Claim[]>) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const claims = this.tokens[authHeader.replace(/^Bearer /, '')];
    if (!claims) throw new AuthenticationError('Unauthorized. Unknown token.', 401);
    const result = await this.sdk.authenticateRequest(activity, '');
    return { ...result, claimsIdentity: new ClaimsIdentity(claims, true) };
  }
  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.sdk.authenticateStreamingRequest(authHeader, channelIdHeader);
  }
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.sdk.createConnectorFactory(claimsIdentity);
  }
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.sdk.createUserTokenClient(claimsIdentity);
  }
  override createBotFrameworkClient(): BotFrameworkClient {
    return this.sdk.createBotFrameworkClient();
  }
}

describe('routing: where replies may go (local mode)', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;
  let silent: Server;
  let silentUrl: string;
  let silentCalls = 0;

  before(async () => {
    serviceUrl = await connector.start();
    // Accepts connections and requests, never answers: a connector that has died mid-way.
    silent = createServer(() => {
      silentCalls += 1;
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    bot = await startTestApp({ CONNECTOR_TIMEOUT_MS: '1000' });
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
    silent.closeAllConnections();
    silent.close();
  });
  beforeEach(() => connector.reset());

  it('refuses an activity without a serviceUrl or a conversation with 400 at once, and calls nobody', async () => {
    const withoutServiceUrl = teamsMessage({ serviceUrl, text: 'sexting' });
    delete withoutServiceUrl.serviceUrl;
    const withoutConversation = teamsMessage({ serviceUrl, text: 'sexting' });
    delete withoutConversation.conversation;
    const notAUrl = teamsMessage({ serviceUrl: 'javascript:alert(1)', text: 'sexting' });
    for (const activity of [withoutServiceUrl, withoutConversation, notAUrl]) {
      const started = performance.now();
      const response = await postJson(`${bot.baseUrl}/api/messages`, activity);
      assert.equal(response.status, 400);
      assert.match(((await response.json()) as { error: string }).error, /conversation id and an http\(s\) serviceUrl/);
      assert.ok(performance.now() - started < 1000, 'refused at once, not after trying somewhere');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(connector.requests.length, 0);
  });

  it('in local mode refuses a serviceUrl that is not on this machine with 400, before any call', async () => {
    for (const elsewhere of ['https://smba.trafficmanager.net/emea/', 'http://10.0.0.8:3978/', 'http://127.0.0.1.example.org/']) {
      const response = await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl: elsewhere, text: 'sexting' }));
      assert.equal(response.status, 400, elsewhere);
      assert.match(((await response.json()) as { error: string }).error, /only to a serviceUrl on this machine/);
    }
    assert.ok(bot.logs.some((line) => line.includes('"service-url-refused"')));
    const local = await postJson(
      `${bot.baseUrl}/api/messages`,
      teamsMessage({ serviceUrl: serviceUrl.replace('127.0.0.1', 'localhost'), text: 'sexting' }),
    );
    assert.equal(local.status, 200, 'localhost is this machine');
  });

  it('gives up on a connector that never answers after CONNECTOR_TIMEOUT_MS, without a second attempt at the safety card', async () => {
    const started = performance.now();
    const response = await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl: silentUrl, text: 'sexting' }));
    const took = performance.now() - started;
    assert.equal(response.status, 200);
    assert.ok(took >= 900 && took < 4000, `took ${Math.round(took)} ms with a 1000 ms connector timeout`);
    assert.ok(bot.logs.some((line) => line.includes('"connector-timeout"')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(silentCalls, 1, 'the answer was tried once; no safety card was sent after the time was up');
  });

  it('gives up on a connector that refuses connections within the same time, retries included', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const started = performance.now();
    const response = await postJson(
      `${bot.baseUrl}/api/messages`,
      teamsMessage({ serviceUrl: `http://127.0.0.1:${port}/`, text: 'sexting' }),
    );
    assert.equal(response.status, 200);
    assert.ok(performance.now() - started < 4000, `took ${Math.round(performance.now() - started)} ms`);
  });
});

describe('tokens: with a Microsoft app id', () => {
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: TestApp;

  before(async () => {
    serviceUrl = await connector.start();
    const claims = (vouchedFor?: string): Claim[] => [
      { type: 'aud', value: appId },
      { type: 'iss', value: 'https://api.botframework.com' },
      ...(vouchedFor ? [{ type: 'serviceurl', value: vouchedFor }] : []),
    ];
    const authentication = new StandInAuthentication({
      'vouches.for.connector': claims(serviceUrl),
      'vouches.for.elsewhere': claims('https://smba.trafficmanager.net/emea/'),
      'vouches.for.nothing': claims(),
    });
    bot = await startTestApp(
      { MicrosoftAppId: appId, MicrosoftAppPassword: 'not-a-real-secret' },
      { botFrameworkAuthentication: authentication },
    );
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });
  beforeEach(() => connector.reset());

  const send = (token: string) =>
    postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text: 'sexting' }), { authorization: `Bearer ${token}` });

  it('answers at the serviceUrl the token vouches for', async () => {
    const response = await send('vouches.for.connector');
    assert.equal(response.status, 200);
    await connector.waitForMessages(1);
  });

  it('refuses (401), and sends nothing, when the token vouches for another serviceUrl or none', async () => {
    for (const token of ['vouches.for.elsewhere', 'vouches.for.nothing']) {
      const response = await send(token);
      assert.equal(response.status, 401, token);
      assert.deepEqual(await response.json(), { error: 'The token does not vouch for this serviceUrl.' });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(connector.requests.length, 0);
  });

  it('refuses an unknown token with 401 and the plain body', async () => {
    const response = await send('not.known.token');
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: 'A valid Bot Framework token is required.' });
  });
});

describe('tokens: the real validation, in the running bot', function () {
  this.timeout(30_000);
  const connector = new FakeBotConnector();

  after(() => connector.stop());

  it('answers a forged RS256 token 401 with a plain body, calls nobody, and writes nothing but JSON log lines', async () => {
    const serviceUrl = await connector.start();
    const bot = await runBot({ MicrosoftAppId: appId, MicrosoftAppPassword: 'not-a-real-secret', HOST: '127.0.0.1' });
    try {
      const response = await postJson(`${bot.baseUrl}/api/messages`, teamsMessage({ serviceUrl, text: 'sexting' }), {
        authorization: `Bearer ${forgedToken(serviceUrl)}`,
      });
      assert.equal(response.status, 401);
      const body = await response.text();
      assert.equal(body, JSON.stringify({ error: 'A valid Bot Framework token is required.' }));
      // Whether Microsoft's signing keys are out of reach (here) or reachable, nothing of it shows.
      assert.doesNotMatch(body, /botframework\.com|ENOTFOUND|EAI_AGAIN|getaddrinfo|at /);
      assert.equal(connector.requests.length, 0);
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    assert.equal(bot.stderr(), '', 'nothing outside the JSON log lines');
    for (const line of bot.stdout) assert.doesNotThrow(() => JSON.parse(line), line.slice(0, 200));
    assert.ok(bot.events().some((event) => event.event === 'token-refused'));
  });
});

describe('console output from the SDK', () => {
  it('becomes one JSON log line, its stack inside the JSON', () => {
    const saved = {
      error: console.error,
      warn: console.warn,
      log: console.log,
      info: console.info,
      debug: console.debug,
      trace: console.trace,
    };
    const { logger, lines } = captureLogs();
    try {
      routeConsoleToLogger(logger);
      console.error(new Error('Unauthorized. No valid identity.'));
      console.error('Error finding key for token. Available keys: -----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----');
    } finally {
      Object.assign(console, saved);
    }
    assert.equal(lines.length, 2);
    const [first, second] = lines.map((line) => JSON.parse(line) as { event: string; msg: string; err?: { stack?: string } });
    assert.equal(first!.event, 'console');
    assert.match(first!.err!.stack ?? '', /at /);
    assert.equal(second!.msg, 'Error finding key for token. Available keys: -----BEGIN PUBLIC KEY-----');
  });
});
