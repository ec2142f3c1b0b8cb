/**
 * Turns whatever a practitioner typed into lower-case word tokens that the rest of the engine
 * compares: no punctuation, no apostrophes (isn't -> isnt), British spellings, digits split
 * from letters (13yo -> 13 yo). Knowledge-pack phrases go through the same function, so both
 * sides always agree.
 */
export function tokenise(text: string, maxCharacters = Number.POSITIVE_INFINITY): string[] {
  const clipped = text.length > maxCharacters ? text.slice(0, maxCharacters) : text;
  const flattened = clipped
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc'`´]/g, '')
    .replace(/([a-z])(\d)|(\d)([a-z])/g, (_match, l1, d1, d2, l2) => (l1 ? `${l1} ${d1}` : `${d2} ${l2}`))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (!flattened) return [];
  return flattened.split(' ').map(toBritishSpelling);
}

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
  const known = americanWords[token];
  if (known) return known;
  const ize = izeEnding.exec(token);
  return ize ? `${ize[1]}is${ize[2]}` : token;
}
