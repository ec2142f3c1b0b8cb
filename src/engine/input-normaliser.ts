import { decodeHTML } from 'entities';

/**
 * Cleans what a practitioner typed or pasted before anything reads it. Text copied from documents,
 * web pages and chat apps carries characters a reader never sees: zero-width spaces and joiners, soft
 * hyphens, byte-order marks, bidirectional controls, HTML entities (`&#101;`, `&nbsp;`). Left in, they
 * split "kill" into "ki" and "ll" and a plain emergency goes unseen.
 */
export function normaliseInput(text: string): string {
  if (!needsCleaning.test(text)) return text;
  let cleaned = text;
  // Entities can arrive encoded twice (`&amp;#101;`); two passes undo that without looping on "&amp;amp;…".
  for (let pass = 0; pass < 2 && cleaned.includes('&'); pass++) cleaned = decodeEntities(cleaned);
  return cleaned
    .normalize('NFKC')
    .replace(invisible, '')
    .replace(unusualSpaces, ' ')
    .replace(singleQuotes, "'")
    .replace(doubleQuotes, '"')
    .replace(dashes, '-');
}

/** Only text with an entity or anything beyond printable ASCII needs work; most questions skip it all. */
const needsCleaning = /[^ -~\t\r\n]|&/;

/**
 * Format characters (Unicode category Cf: zero-width space, joiners, soft hyphen, BOM, bidirectional
 * controls, invisible operators), variation selectors and the combining grapheme joiner: none of them
 * is visible, so none of them should change what the words are.
 */
const invisible = /\p{Cf}|\u034f|[\ufe00-\ufe0f]|[\u{e0100}-\u{e01ef}]/gu;
/** What NFKC leaves as other kinds of space: line and paragraph separators, ogham and other gaps. */
const unusualSpaces = /[\u1680\u2028\u2029\u3000\u00a0\u2000-\u200a\u202f\u205f]/g;
const singleQuotes = /[\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4]/g;
const doubleQuotes = /[\u201c\u201d\u201e\u201f\u2033]/g;
const dashes = /[\u2010-\u2015\u2212]/g;

function decodeEntities(text: string): string {
  try {
    // An out-of-range code point (`&#99999999;`) decodes to U+FFFD rather than throwing; the guard is for anything else.
    return decodeHTML(text);
  } catch {
    return text;
  }
}
