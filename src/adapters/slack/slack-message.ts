/** Reading Slack events: the question without mentions, and whether files came with it. */

/** Removes <@U123>, <!here>, <!channel> and similar from the text, and decodes Slack's escapes. */
export function slackQuestionText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<[@!#][^>]*>/g, ' ')
    .replace(/<(https?:[^|>]*)(\|[^>]*)?>/g, ' $1 ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function hasFiles(event: { files?: unknown[]; subtype?: string }): boolean {
  return (Array.isArray(event.files) && event.files.length > 0) || event.subtype === 'file_share';
}

/** A link that opens the direct-message tab with this app in the given workspace. */
export function directMessageUrl(appId: string | undefined, teamId: string | undefined): string | undefined {
  if (!appId || !teamId) return undefined;
  return `https://slack.com/app_redirect?app=${encodeURIComponent(appId)}&team=${encodeURIComponent(teamId)}`;
}
