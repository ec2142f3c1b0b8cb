/**
 * Hides a message's words behind what text pasted from documents, web pages and chat apps carries:
 * zero-width spaces and joiners, soft hyphens, byte-order marks, word joiners, character entities
 * (`&#101;`) and non-breaking spaces (`&nbsp;`). A reader sees the same message; the bot must too.
 */
export function disguise(text: string): string {
  const invisible = ['\u200b', '\u200d', '\u00ad', '\ufeff', '\u2060', '\u200c', '\u202a'];
  let words = 0;
  let spaces = 0;
  return text
    .replace(/[a-z]{3,}/gi, (word) => {
      words++;
      const middle = Math.floor(word.length / 2);
      if (words % 3 === 0) return `${word.slice(0, middle)}&#${word.charCodeAt(middle)};${word.slice(middle + 1)}`;
      return word.slice(0, middle) + invisible[words % invisible.length] + word.slice(middle);
    })
    .replace(/ /g, (space) => (spaces++ % 4 === 0 ? '&nbsp;' : space));
}
