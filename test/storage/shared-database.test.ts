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
