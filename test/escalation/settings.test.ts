import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../src/config.js';

const slack = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-not-real' };

function problem(environment: Record<string, string>): string {
  try {
    readConfig(environment);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('the settings were accepted');
}

describe('settings for "Ask a safeguarding lead"', () => {
  it('leave it off when neither leads channel is set', () => {
    assert.equal(readConfig({}).escalation, undefined);
    assert.equal(readConfig({ ...slack, ESCALATION_SLACK_CHANNEL: '', ESCALATION_TEAMS_CHANNEL: ' ' }).escalation, undefined);
  });

  it('take a Slack channel id, with Slack on, and default to 2 working hours of 09:00 to 17:00', () => {
    assert.deepEqual(readConfig({ ...slack, ESCALATION_SLACK_CHANNEL: 'C0123ABCDEF' }).escalation, {
      slackChannel: 'C0123ABCDEF',
      teamsChannel: undefined,
      repostAfterHours: 2,
      workingDay: { startMinute: 540, endMinute: 1020 },
    });
  });

  it('take the Teams channel as its id or as the link Teams gives for it', () => {
    assert.deepEqual(readConfig({ ESCALATION_TEAMS_CHANNEL: '19:abcDEF123_-x@thread.tacv2' }).escalation?.teamsChannel, {
      channelId: '19:abcDEF123_-x@thread.tacv2',
    });
    const link =
      'https://teams.microsoft.com/l/channel/19%3a0123abcd%40thread.tacv2/Safeguarding%20leads?groupId=1111-2222&tenantId=3333-4444';
    assert.deepEqual(readConfig({ ESCALATION_TEAMS_CHANNEL: link }).escalation?.teamsChannel, {
      channelId: '19:0123abcd@thread.tacv2',
      groupId: '1111-2222',
      tenantId: '3333-4444',
    });
  });

  it('read the time before posting again and the working day', () => {
    const escalation = readConfig({
      ESCALATION_TEAMS_CHANNEL: '19:leads@thread.tacv2',
      ESCALATION_REPOST_AFTER_HOURS: '1.5',
      ESCALATION_WORKING_HOURS: '08:30-16:30',
    }).escalation!;
    assert.equal(escalation.repostAfterHours, 1.5);
    assert.deepEqual(escalation.workingDay, { startMinute: 510, endMinute: 990 });
  });

  it('refuse bad values in one line naming the variable', () => {
    assert.match(
      problem({ ...slack, ESCALATION_SLACK_CHANNEL: '#safeguarding-leads' }),
      /ESCALATION_SLACK_CHANNEL must be a Slack channel id/,
    );
    assert.match(problem({ ESCALATION_SLACK_CHANNEL: 'C0123ABCDEF' }), /ESCALATION_SLACK_CHANNEL needs Slack on/);
    assert.match(problem({ ESCALATION_TEAMS_CHANNEL: 'Safeguarding leads' }), /ESCALATION_TEAMS_CHANNEL must be the Teams channel link/);
    assert.match(
      problem({ ESCALATION_TEAMS_CHANNEL: 'https://evil.example/l/channel/19%3a0123abcd%40thread.tacv2/x' }),
      /ESCALATION_TEAMS_CHANNEL must be/,
    );
    assert.match(
      problem({ ESCALATION_TEAMS_CHANNEL: '19:leads@thread.tacv2', ESCALATION_REPOST_AFTER_HOURS: '0' }),
      /ESCALATION_REPOST_AFTER_HOURS must be a number of working hours from 0.25 to 40/,
    );
    assert.match(
      problem({ ESCALATION_TEAMS_CHANNEL: '19:leads@thread.tacv2', ESCALATION_WORKING_HOURS: '17:00-09:00' }),
      /ESCALATION_WORKING_HOURS must be a start and end time such as 09:00-17:00/,
    );
    for (const message of [problem({ ESCALATION_TEAMS_CHANNEL: 'x', ESCALATION_WORKING_HOURS: 'y' })])
      assert.equal(message.split('\n').length, 1);
  });
});
