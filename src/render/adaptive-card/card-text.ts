/**
 * Adaptive Card TextBlocks render a subset of markdown, and Teams expands {{DATE(...)}} and
 * {{TIME(...)}} functions. Any text the bot did not write as markdown itself goes through here,
 * so "**x**" shows as typed and "[link](url)" cannot become a link.
 */
export function escapeCardText(text: string): string {
  return text
    .replace(/[\\`*_[\]]/g, (character) => `\\${character}`)
    .replace(/\{\{/g, '{\u200b{')
    .replace(/^(\s*)([-+>#])(\s)/gm, (_match, indent: string, marker: string, space: string) => `${indent}\\${marker}${space}`)
    .replace(/^(\s*)(\d+)\.(\s)/gm, (_match, indent: string, digits: string, space: string) => `${indent}${digits}\\.${space}`);
}

/** A phone number as a markdown tel: link, e.g. [01629 535 353](tel:01629535353). */
export function phoneLink(phone: string): string {
  return `[${phone}](tel:${phone.replace(/\D/g, '')})`;
}

/** An email address as a markdown mailto: link. */
export function emailLink(email: string): string {
  return `[${escapeCardText(email)}](mailto:${email})`;
}
