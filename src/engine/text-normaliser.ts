/**
 * Turns whatever a practitioner typed into lower-case word tokens that the rest of the engine
 * compares: no punctuation, no apostrophes (isn't -> isnt), British spellings, digits split
 * from letters (13yo -> 13 yo). Knowledge-pack phrases go through the same function, so both
 * sides always agree.
 */
export function tokenise(text: string, maxCharacters = Number.POSITIVE_INFINITY): string[] {
  const clipped = text.length > maxCharacters ? text.slice(0, maxCharacters) : text;
  // Plain ASCII (most questions) needs no Unicode normalisation.
  const normalised = beyondPlainAscii.test(clipped) ? clipped.normalize('NFKC') : clipped;
  const flattened = normalised
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    // "he'll" must not become "hell", nor "I'll" "ill": expand the contractions that would collide.
    .replace(/(\w)'ll\b/g, '$1 will')
    .replace(/(\w)'re\b/g, '$1 are')
    .replace(/(\w)'ve\b/g, '$1 have')
    .replace(/'/g, '')
    .replace(/([a-z])(\d)|(\d)([a-z])/g, '$1$3 $2$4')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (!flattened) return [];
  return flattened.split(' ').map(toBritishSpelling);
}

/** Anything beyond printable ASCII and white space: only then is Unicode normalisation needed. */
const beyondPlainAscii = /[^ -~\s]/;

const americanWords: Record<string, string> = {
  behavior: 'behaviour',
  behaviors: 'behaviours',
  behavioral: 'behavioural',
  center: 'centre',
  centers: 'centres',
  program: 'programme',
  programs: 'programmes',
  defense: 'defence',
  offense: 'offence',
  offenses: 'offences',
  favorite: 'favourite',
  color: 'colour',
  counseling: 'counselling',
  counselor: 'counsellor',
  judgment: 'judgement',
  mom: 'mum',
  moms: 'mums',
  neighbor: 'neighbour',
  neighbors: 'neighbours',
  practicing: 'practising',
  pediatric: 'paediatric',
};

/** -ize/-ization words are spelled -ise/-isation in the procedure; only long words, to spare "size". */
const izeEnding = /^([a-z]{4,})iz(e|es|ed|ing|ation|ations|er|ers)$/;

function toBritishSpelling(token: string): string {
  // hasOwn: a question saying "constructor" must not pick up Object.prototype.constructor.
  if (Object.hasOwn(americanWords, token)) return americanWords[token]!;
  if (token.length < 7 || !token.includes('iz')) return token;
  const ize = izeEnding.exec(token);
  return ize ? `${ize[1]}is${ize[2]}` : token;
}
