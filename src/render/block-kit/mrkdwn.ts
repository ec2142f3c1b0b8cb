/**
 * Slack reads &, < and > as control characters in mrkdwn (<!channel>, <@U123>, <https://x|y>).
 * Escaping them in every dynamic string means no text can ping a channel, mention a user or
 * become a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
