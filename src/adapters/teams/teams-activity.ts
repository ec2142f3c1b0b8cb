import { type Activity, type Attachment, TurnContext } from 'botbuilder';

/** Reading Teams activities: what the user asked, where, and whether files came with it. */

/** Channels and group chats can be read by others; personal (1:1) chats cannot. */
export function isSharedConversation(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  if (type) return type !== 'personal';
  return Boolean(activity.conversation?.isGroup);
}

/** Was the bot @mentioned in this message? */
export function mentionsBot(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (entity) => entity.type === 'mention' && (entity as { mentioned?: { id?: string } }).mentioned?.id === botId,
  );
}

/** The question without the bot's @mention, markup or entities. */
export function questionText(activity: Partial<Activity>): string {
  const withoutMention = activity.entities ? (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '') : (activity.text ?? '');
  return decodeEntities(withoutMention.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Files, images and other things a user attached (not the HTML copy Teams adds to every message, nor our own cards). */
export function userAttachments(activity: Partial<Activity>): Attachment[] {
  return (activity.attachments ?? []).filter((attachment) => {
    const type = (attachment.contentType ?? '').toLowerCase();
    return type !== 'text/html' && type !== 'text/plain' && !type.startsWith('application/vnd.microsoft.card.');
  });
}

/** A Teams deep link that opens a 1:1 chat with this bot. */
export function privateChatUrl(activity: Partial<Activity>): string | undefined {
  const botId = activity.recipient?.id;
  if (!botId || activity.channelId !== 'msteams') return undefined;
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(botId)}`;
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(Number.parseInt(code.slice(2), 16) || 32);
    if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)) || 32);
    return named[code.toLowerCase()] ?? entity;
  });
}
