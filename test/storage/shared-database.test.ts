import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cardTexts } from '../support/adaptive-card-check.js';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { freshSchema, skipWithoutPostgres, type TestSchema, tablesIn } from '../support/postgres.js';
import { teamsMessage } from '../support/teams-activities.js';
import { postJson, startTestApp, type TestApp } from '../support/test-app.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Two instances of the bot, as behind a load balancer: each with its own data folder, both with
 * one DATABASE_URL. A practitioner's area choice made through one is used by the other, and
 * `npm run report` counts both together, with the tables in PostgreSQL and no SQLite file anywhere.
 */
describe('two instances on one PostgreSQL database', function () {
  this.timeout(60_000);
  const connector = new FakeBotConnector();
  let serviceUrl: string;
  let schema: TestSchema | undefined;
  const instances: TestApp[] = [];

  before(async function () {
    skipWithoutPostgres(this, 'two instances on one database');
    serviceUrl = await connector.start();
    schema = await freshSchema();
    for (let index = 0; index < 2; index++) instances.push(await startTestApp({ DATABASE_URL: schema.url }));
  });
  after(async () => {
    for (const instance of instances) await instance.stop();
    await connector.stop();
    await schema?.drop();
  });

  async function ask(instance: TestApp, activity: Record<string, unknown>): Promise<string> {
    const before = connector.messages().length;
    assert.equal((await postJson(`${instance.baseUrl}/api/messages`, activity)).status, 200);
    const messages = await connector.waitForMessages(before + 1);
    const [attachment] = messages.at(-1)!.activity.attachments as Array<{ content: unknown }>;
    return cardTexts(attachment!.content).join('\n');
  }

  it('share area choices, feedback and counts, and npm run report counts both, writing no SQLite file', async () => {
    const [one, two] = instances as [TestApp, TestApp];
    const user = { id: '29:shared-user', name: 'Shared User', aadObjectId: '00000000-0000-0000-0000-0000000005a4' };
    const as = (activity: Record<string, unknown>) => ({ ...activity, from: user });

    assert.match(
      await ask(one, as(teamsMessage({ serviceUrl, value: { sa: 1, action: 'area', area: 'derby-city' } }))),
      /you work in Derby City/,
    );
    const text = await ask(two, as(teamsMessage({ serviceUrl, text: 'consultation line' })));
    assert.ok(text.indexOf('07812 300 329') < text.indexOf('01629 535 353'), 'the second instance puts the Derby City line first');

    await ask(one, as(teamsMessage({ serviceUrl, text: 'county lines' })));
    await ask(two, as(teamsMessage({ serviceUrl, text: 'county lines' })));
    await ask(one, as(teamsMessage({ serviceUrl, value: { sa: 1, action: 'feedback', topicId: 'county-lines', verdict: 'helpful' } })));
    await ask(two, as(teamsMessage({ serviceUrl, value: { sa: 1, action: 'feedback', topicId: 'county-lines', verdict: 'not-helpful' } })));

    const reportFolder = mkdtempSync(join(tmpdir(), 'report-data-'));
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/report.ts'], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: schema!.url, DATA_DIR: reportFolder },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /records \(PostgreSQL [^)]+:\d+\//);
      assert.match(result.stdout, /answer\s+3/, 'consultation line and county lines twice, from both instances');
      assert.match(result.stdout, /1 not helpful,\s+1 helpful \(50% not\)\s+County lines/i);
      for (const folder of [reportFolder, ...instances.map((instance) => instance.dataDirectory)])
        assert.deepEqual(readdirSync(folder), [], `no SQLite file in ${folder}`);
    } finally {
      rmSync(reportFolder, { recursive: true, force: true });
    }
    const tables = await tablesIn(schema!.name);
    for (const table of ['area_preferences', 'feedback', 'question_counts', 'safeguarding_schema_version', 'unanswered'])
      assert.ok(tables.includes(table), table);
  });
});

/**
 * "Ask a safeguarding lead" across two instances on one database: the leads' Teams channel learnt by
 * one is used by the other, a request asked through one is taken through the other, two leads
 * pressing at once on different instances make one taker, and a request nobody took is posted
 * again once, whichever instances look.
 */
describe('two instances on one PostgreSQL database: requests to a safeguarding lead', function () {
  this.timeout(60_000);
  const connector = new FakeBotConnector();
  const leadsChannel = '19:leads@thread.tacv2';
  let serviceUrl: string;
  let schema: TestSchema | undefined;
  let now = new Date('2026-11-24T10:00:00Z');
  const instances: TestApp[] = [];

  before(async function () {
    skipWithoutPostgres(this, 'two instances on one database');
    serviceUrl = await connector.start();
    schema = await freshSchema();
    for (let index = 0; index < 2; index++)
      instances.push(await startTestApp({ DATABASE_URL: schema.url, ESCALATION_TEAMS_CHANNEL: leadsChannel }, { clock: () => now }));
  });
  after(async () => {
    for (const instance of instances) await instance.stop();
    await connector.stop();
    await schema?.drop();
  });

  type Card = { body: unknown };
  /** The data of the card's Action.Submit whose title matches. */
  const submit = (card: Card, title: RegExp): unknown => {
    const found: Array<{ title: string; data: unknown }> = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        if ((node as { type?: string }).type === 'Action.Submit') found.push(node as { title: string; data: unknown });
        for (const value of Object.values(node)) walk(value);
      }
    };
    walk(card.body);
    const match = found.find((action) => title.test(action.title));
    assert.ok(match, `no button ${title}`);
    return match.data;
  };
  const lastCard = () => (connector.messages().at(-1)!.activity.attachments as Array<{ content: Card }>)[0]!.content;
  const postsToLeads = () =>
    connector
      .conversationsCreated()
      .filter((body) => (body.channelData as { channel?: { id?: string } } | undefined)?.channel?.id === leadsChannel);

  async function send(instance: TestApp, activity: Record<string, unknown>): Promise<void> {
    assert.equal((await postJson(`${instance.baseUrl}/api/messages`, activity)).status, 200);
  }
  const leadPress = (value: unknown, lead: string) => ({
    ...teamsMessage({ serviceUrl, value }),
    from: { id: `29:${lead}`, name: lead },
    conversation: { id: `${leadsChannel};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: 'test-tenant' },
    channelData: { tenant: { id: 'test-tenant' }, team: { id: leadsChannel }, channel: { id: leadsChannel } },
  });

  it('share the leads channel, the requests and who took them', async () => {
    const [one, two] = instances as [TestApp, TestApp];
    // Added to the leads' team: the event reaches instance one only.
    await send(one, {
      type: 'conversationUpdate',
      id: 'added',
      serviceUrl,
      channelId: 'msteams',
      from: { id: '29:owner', name: 'Owner' },
      recipient: { id: '28:bot', name: 'Safeguarding Assistant' },
      membersAdded: [{ id: '28:bot', name: 'Safeguarding Assistant' }],
      conversation: { id: leadsChannel, conversationType: 'channel', isGroup: true, tenantId: 'test-tenant' },
      channelData: { eventType: 'teamMemberAdded', team: { id: leadsChannel }, tenant: { id: 'test-tenant' } },
    });

    // Asked through instance two, which never heard from the team.
    await send(two, teamsMessage({ serviceUrl, text: 'sextortion' }));
    await send(two, teamsMessage({ serviceUrl, value: submit(lastCard(), /Ask a safeguarding lead/) }));
    await send(one, teamsMessage({ serviceUrl, value: submit(lastCard(), /Today/) }));
    assert.equal(postsToLeads().length, 1);
    const take = submit(
      (postsToLeads()[0]!.activity as { attachments: Array<{ content: Card }> }).attachments[0]!.content,
      /I'll take this/,
    );

    // Two leads press at the same moment on different instances: one takes it, the other is told.
    const before = connector.messages().length;
    await Promise.all([send(one, leadPress(take, 'lead-a')), send(two, leadPress(take, 'lead-b'))]);
    assert.equal(connector.updates().length, 1, 'the request was updated once');
    const said = connector
      .messages()
      .slice(before)
      .map((message) => JSON.stringify(message.activity));
    assert.equal(said.filter((json) => /has taken your request/.test(json)).length, 1, 'the asker was told once');
    assert.equal(said.filter((json) => /already taken this request/.test(json)).length, 1, 'the other lead was told');
  });

  it('post a request nobody took again once, however many instances look at the same moment', async () => {
    const [one, two] = instances as [TestApp, TestApp];
    await send(one, teamsMessage({ serviceUrl, text: 'county lines' }));
    await send(one, teamsMessage({ serviceUrl, value: submit(lastCard(), /Ask a safeguarding lead/) }));
    await send(two, teamsMessage({ serviceUrl, value: submit(lastCard(), /This week/) }));
    const posted = postsToLeads().length;
    now = new Date('2026-11-24T12:00:00Z');
    const reposted = await Promise.all([one.app.repostOverdueLeadRequests(), two.app.repostOverdueLeadRequests()]);
    assert.equal(reposted[0]! + reposted[1]!, 1);
    assert.equal(postsToLeads().length, posted + 1);
    assert.equal((await one.app.repostOverdueLeadRequests()) + (await two.app.repostOverdueLeadRequests()), 0);
  });
});
