import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { type BotProcess, runBot } from '../support/bot-process.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { teamsMessage } from '../support/teams-activities.js';

interface Outcome {
  sentAt: number;
  status?: number;
  connectionHeader?: string;
  error?: string;
  endedAt: number;
}

/** One POST on a keep-alive agent; resolves with what came back, never rejects. */
function post(url: string, body: string, agent: Agent): Promise<Outcome> {
  const sentAt = performance.now();
  return new Promise((resolve) => {
    const call = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ sentAt, status: response.statusCode, connectionHeader: response.headers.connection, endedAt: performance.now() }),
      );
      response.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ sentAt, error: error.code ?? error.message, endedAt: performance.now() }),
      );
    });
    call.on('error', (error: NodeJS.ErrnoException) => resolve({ sentAt, error: error.code ?? error.message, endedAt: performance.now() }));
    call.end(body);
  });
}

describe('graceful shutdown of the real server (child process)', function () {
  this.timeout(40_000);
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let bot: BotProcess | undefined;

  before(async () => {
    serviceUrl = await connector.start();
  });
  afterEach(async () => {
    await bot?.kill();
    bot = undefined;
    connector.reset();
  });
  after(() => connector.stop());

  it('on SIGTERM under keep-alive load from several clients: answers every request in flight, closes, exits 0 within 10 s', async () => {
    // A slow connector keeps every client's request in flight when the signal comes.
    connector.delayMs = 150;
    bot = await runBot({});
    const url = `${bot.baseUrl}/api/messages`;
    const outcomes: Outcome[] = [];
    let signalledAt = Number.POSITIVE_INFINITY;
    let stopClients = false;
    const client = async (index: number) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (!stopClients) {
        const outcome = await post(url, JSON.stringify(teamsMessage({ serviceUrl, text: `county lines ${index}` })), agent);
        outcomes.push(outcome);
        // Refused means the server no longer accepts connections: this client is done.
        if (outcome.error) break;
      }
      agent.destroy();
    };
    const clients = Array.from({ length: 8 }, (_, index) => client(index));
    while (outcomes.filter((outcome) => outcome.status === 200).length < 24) await new Promise((resolve) => setTimeout(resolve, 20));

    signalledAt = performance.now();
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    stopClients = true;
    await Promise.all(clients);

    assert.equal(exit.signal, null);
    assert.equal(exit.code, 0, bot.stderr());
    assert.ok(exit.at - signalledAt < 10_000, `took ${Math.round(exit.at - signalledAt)} ms`);

    const inFlight = outcomes.filter((outcome) => outcome.sentAt < signalledAt && outcome.endedAt > signalledAt);
    assert.ok(inFlight.length > 0, 'some requests were in flight when the signal came');
    const failures = outcomes.filter((outcome) => outcome.status !== 200 && outcome.error !== 'ECONNREFUSED');
    assert.deepEqual(failures, [], 'every request either answered 200 or was refused a connection (never cut off)');
    const answered = outcomes.filter((outcome) => outcome.status === 200);
    const closing = answered.filter((outcome) => outcome.endedAt > signalledAt);
    assert.ok(closing.length >= inFlight.length);
    for (const outcome of closing) assert.equal(outcome.connectionHeader, 'close', 'busy connections are told to close after their answer');
    // Each 200 means the answer went out before the turn ended.
    assert.ok(connector.messages().length >= answered.length);

    const events = bot.events().map((event) => event.event);
    for (const expected of ['stopping', 'store-closed', 'stopped']) assert.ok(events.includes(expected), expected);
    assert.ok(!events.includes('stop-deadline-passed'));
    assert.equal(bot.stderr(), '', 'nothing outside the JSON log lines');
  });

  it('on SIGINT with idle keep-alive connections open: closes them and exits 0 at once', async () => {
    bot = await runBot({});
    const agents = Array.from({ length: 4 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    for (const agent of agents)
      assert.equal(
        (await post(`${bot.baseUrl}/api/messages`, JSON.stringify(teamsMessage({ serviceUrl, text: 'sexting' })), agent)).status,
        200,
      );
    bot.child.kill('SIGINT');
    const exit = await bot.exited;
    for (const agent of agents) agent.destroy();
    assert.equal(exit.code, 0, bot.stderr());
    const stopped = bot.events().find((event) => event.event === 'stopped');
    assert.equal(stopped?.signal, 'SIGINT');
  });

  it('exits 1, and says so, only when requests are still unanswered at the deadline', async () => {
    connector.delayMs = 4000;
    bot = await runBot({ SHUTDOWN_TIMEOUT_MS: '1000', CONNECTOR_TIMEOUT_MS: '20000' });
    const pending = post(`${bot.baseUrl}/api/messages`, JSON.stringify(teamsMessage({ serviceUrl, text: 'sexting' })), new Agent());
    while (connector.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    await pending;
    assert.equal(exit.code, 1);
    const deadline = bot.events().find((event) => event.event === 'stop-deadline-passed');
    assert.ok(deadline, 'the missed deadline is logged');
    assert.equal(deadline.requests, 1);
  });
});
