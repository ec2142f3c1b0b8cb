import { createHmac } from 'node:crypto';

export const signingSecret = 'test-signing-secret-not-real';

/** Headers Slack would send for this body, signed with the test secret (or a given time). */
export function signedHeaders(body: string, options: { secret?: string; timestamp?: number } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? signingSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export async function postSigned(
  url: string,
  body: string,
  contentType: string,
  options: { secret?: string; timestamp?: number } = {},
): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...signedHeaders(body, options) }, body });
}

export function slashCommand(responseUrl: string, text: string): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'C0TEST',
    channel_name: 'safeguarding',
    user_id: 'U0PRACTITIONER',
    user_name: 'practitioner',
    command: '/safeguarding',
    text,
    api_app_id: 'A0TEST',
    response_url: responseUrl,
    trigger_id: '123.456.abc',
  }).toString();
}

let eventCounter = 0;

export function eventCallback(event: Record<string, unknown>): string {
  eventCounter += 1;
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    api_app_id: 'A0TEST',
    event,
    type: 'event_callback',
    event_id: `Ev0TEST${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEST', user_id: 'UBOTUSER', is_bot: true }],
  });
}

/** Who presses a button, and where: by default the practitioner, in channel C0TEST of workspace T0TEST. */
export interface Presser {
  user?: string;
  team?: string;
  channel?: string;
}

export function blockAction(
  responseUrl: string,
  value: string,
  container: Record<string, unknown> = { type: 'message', message_ts: '1700000000.000200', channel_id: 'C0TEST' },
  presser: Presser = {},
): string {
  const { user = 'U0PRACTITIONER', team = 'T0TEST', channel = 'C0TEST' } = presser;
  const payload = {
    type: 'block_actions',
    team: { id: team, domain: 'test' },
    user: { id: user, name: user.toLowerCase(), team_id: team },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    container: container.channel_id ? { ...container, channel_id: channel } : container,
    trigger_id: '123.456.def',
    channel: { id: channel, name: channel === 'C0TEST' ? 'safeguarding' : 'other' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: 'sa_follow-up_0',
        block_id: 'sa_follow-up',
        text: { type: 'plain_text', text: 'x' },
        value,
        action_ts: '1700000000.000400',
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
