import type { SourceText } from './source-check.js';

/**
 * Direct answers ("No. Nude or semi-nude images should not be viewed unless there is a good and
 * clear reason to do so…") are quotations of the procedure: an editor writes them in the source's
 * own words and marks any linking words of their own in [square brackets]. The brackets are taken
 * off for display; the check makes sure everything else is the source's, so no fact, number,
 * time or procedure name can be invented in a line practitioners act on first.
 */

const bracketed = /\[([^\]]*)\]/g;
/** Linking words only: a bracket this long is rewording, not linking. */
const longestBracketWords = 8;

/** What practitioners see: the editor's linking words kept, the brackets themselves taken off. */
export function displayedQuote(text: string): string {
  return text.replace(bracketed, '$1').replace(/\s+/g, ' ').trim();
}

/** Why a quoted answer is not the source's own words, or undefined when it is. */
export function quoteProblem(text: string, source: SourceText): { message: string; fix: string } | undefined {
  if (/\[[^\]]*$|^[^[]*\]/.test(text) || (text.match(/\[/g) ?? []).length !== (text.match(/\]/g) ?? []).length) {
    return { message: 'a [square bracket] is not closed.', fix: 'Close every bracket you open: [your linking words].' };
  }
  for (const [, inside] of text.matchAll(bracketed)) {
    const words = (inside ?? '').trim().split(/\s+/).filter(Boolean);
    if (/\d/.test(inside ?? '')) {
      return {
        message: `the words in brackets "[${inside}]" contain a number; numbers must come from the procedure.`,
        fix: 'Quote the number where the procedure gives it, outside the brackets.',
      };
    }
    if (words.length > longestBracketWords) {
      return {
        message: `the words in brackets "[${inside}]" are more than ${longestBracketWords} words: brackets are for a few linking words.`,
        fix: "Quote more of the procedure's own sentence instead.",
      };
    }
  }
  const fragments = text
    .split(bracketed)
    .filter((_, index) => index % 2 === 0)
    .flatMap((part) => part.split('…'))
    .map((part) => part.replace(/^[\s.,;:!?"'()-]+|[\s.,;:!?"'()-]+$/g, ''))
    .filter((part) => /[A-Za-z0-9]/.test(part));
  if (fragments.length === 0) return { message: 'nothing in it is quoted from the procedure.', fix: "Use the procedure's own words." };
  for (const fragment of fragments) {
    if (!source.containsIgnoringCase(fragment)) {
      return {
        message: `"${fragment}" does not appear word for word in the source procedure.`,
        fix: "Copy the procedure's own words exactly, and put any words of your own in [square brackets].",
      };
    }
  }
  return undefined;
}
