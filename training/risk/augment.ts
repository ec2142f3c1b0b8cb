/**
 * Noisy copies of training messages, as practitioners type on a phone: dropped and swapped
 * letters, text-speak, no punctuation. The model then learns from "tonite" as well as "tonight"
 * without anyone writing both. Seeded, so training is reproducible.
 */
const textSpeak: Array<[RegExp, string]> = [
  [/\byou\b/g, 'u'],
  [/\byour\b/g, 'ur'],
  [/\bare\b/g, 'r'],
  [/\btonight\b/g, 'tonite'],
  [/\btomorrow\b/g, 'tmrw'],
  [/\bplease\b/g, 'pls'],
  [/\bbecause\b/g, 'cos'],
  [/\bright now\b/g, 'rn'],
  [/\bat the moment\b/g, 'atm'],
  [/\bbefore\b/g, 'b4'],
  [/\bpeople\b/g, 'ppl'],
  [/\bgoing to\b/g, 'gonna'],
  [/\bwant to\b/g, 'wanna'],
  [/\bboyfriend\b/g, 'bf'],
  [/\bgirlfriend\b/g, 'gf'],
  [/\bthanks\b/g, 'thx'],
  [/\bsomeone\b/g, 'some1'],
  [/\bminutes\b/g, 'mins'],
  [/\bwith\b/g, 'w'],
  [/\bthough\b/g, 'tho'],
];

export function noisyCopy(text: string, random: () => number): string {
  let copy = text.toLowerCase();
  for (const [pattern, replacement] of textSpeak) if (random() < 0.5) copy = copy.replace(pattern, replacement);
  if (random() < 0.5) copy = copy.replace(/[.,;:!?'"()-]/g, '');
  return copy
    .split(' ')
    .map((word) => (word.length > 3 && random() < 0.12 ? typo(word, random) : word))
    .join(' ');
}

function typo(word: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  const roll = random();
  if (roll < 0.35) return word.slice(0, at) + word.slice(at + 1);
  if (roll < 0.7) return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return word.slice(0, at) + word[at] + word.slice(at);
}

/**
 * Openings and endings practitioners put round any message, urgent or not. Added to both labels
 * alike, so the model cannot learn that a question mark or "any advice?" means "not urgent".
 */
const openings = [
  'hi,',
  'quick question -',
  'sorry to bother you,',
  'not sure if this is the right place but',
  "I'm a teaching assistant.",
  "I'm a youth worker.",
  'Foster carer here.',
  'I work in a residential home.',
  'Bit of background: he has an EHCP and is known to social care.',
  "Sorry this is long, I'll try to explain.",
  'I am a nurse in a secondary school.',
  'Football coach here, under 14s.',
  'Good afternoon,',
  'Can I ask something?',
  'Writing this on my phone so excuse typos.',
  'She is in year 8 and lives with her nan.',
  'He is 14 and has autism.',
  'We have had a few worries about this child this term.',
];
const endings = [
  'what do I do?',
  'who do I ring?',
  'any advice?',
  'thanks',
  'please help',
  'what should I do next?',
  'who should I tell?',
  'is there a number I should call?',
  'I am not sure what the procedure says.',
  'thank you in advance.',
  'I have told the DSL as well.',
  'what is the right thing to do here',
];

/**
 * The message with an opening and an ending round it. `moreOpenings` are the pack's own greetings
 * and "I have a concern" phrases: as whole messages they are rightly not emergencies, so without
 * this the model learnt that they make a message safer ("I have a concern, a boy is missing…").
 */
export function framedCopy(text: string, random: () => number, moreOpenings: readonly string[] = []): string {
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  const allOpenings = [...openings, ...moreOpenings];
  const parts = [text];
  if (random() < 0.6) parts.unshift(`${pick(allOpenings)},`);
  if (random() < 0.3) parts.unshift(pick(allOpenings));
  if (random() < 0.6) parts.push(pick(endings));
  return parts.join(' ');
}
