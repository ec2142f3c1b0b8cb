/** Teams-shaped activities, as the Bot Connector posts them to /api/messages. */

export const botAccount = { id: '28:00000000-0000-0000-0000-00000000b0t0', name: 'Safeguarding Assistant' };
export const userAccount = { id: '29:test-user', name: 'Test Practitioner', aadObjectId: '00000000-0000-0000-0000-000000000001' };

let counter = 0;

export interface MessageOptions {
  serviceUrl: string;
  text?: string;
  conversation?: 'personal' | 'channel' | 'groupChat';
  mention?: boolean;
  value?: unknown;
  attachments?: Array<Record<string, unknown>>;
  channelId?: string;
}

export function teamsMessage(options: MessageOptions): Record<string, unknown> {
  counter += 1;
  const kind = options.conversation ?? 'personal';
  const activityId = `1700000000${String(counter).padStart(3, '0')}`;
  const conversationId =
    kind === 'channel'
      ? `19:channel-test@thread.tacv2;messageid=${activityId}`
      : kind === 'groupChat'
        ? '19:group-test@thread.v2'
        : 'a:personal-test';
  const mentionText = `<at>${botAccount.name}</at>`;
  const text = options.mention ? `${mentionText} ${options.text ?? ''}` : options.text;
  return {
    type: 'message',
    id: activityId,
    timestamp: new Date().toISOString(),
    serviceUrl: options.serviceUrl,
    channelId: options.channelId ?? 'msteams',
    from: userAccount,
    recipient: botAccount,
    conversation: { id: conversationId, conversationType: kind, isGroup: kind !== 'personal', tenantId: 'test-tenant' },
    ...(text !== undefined ? { text, textFormat: 'plain' } : {}),
    ...(options.value !== undefined ? { value: options.value } : {}),
    ...(options.attachments ? { attachments: options.attachments } : {}),
    entities: options.mention ? [{ type: 'mention', text: mentionText, mentioned: botAccount }] : [],
    channelData:
      kind === 'channel'
        ? { tenant: { id: 'test-tenant' }, channel: { id: '19:channel-test@thread.tacv2' }, team: { id: '19:team' } }
        : { tenant: { id: 'test-tenant' } },
    locale: 'en-GB',
  };
}

export function botInstalled(serviceUrl: string, conversation: 'personal' | 'channel' | 'groupChat' = 'personal'): Record<string, unknown> {
  counter += 1;
  return {
    type: 'conversationUpdate',
    id: `update-${counter}`,
    serviceUrl,
    channelId: 'msteams',
    from: userAccount,
    recipient: botAccount,
    membersAdded: [botAccount],
    conversation: {
      id: conversation === 'personal' ? 'a:personal-test' : '19:channel-test@thread.tacv2',
      conversationType: conversation,
      isGroup: conversation !== 'personal',
    },
    channelData: { tenant: { id: 'test-tenant' } },
  };
}
