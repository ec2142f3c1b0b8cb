import type { Answer, ContactView } from '../engine/answer-model.js';

/**
 * One layout for every answer, whatever draws it (Adaptive Card, Block Kit, plain text): what a
 * worried, busy practitioner sees before anything is expanded, and what waits behind "More".
 *
 * First: the line that answers what was asked; then at most three steps; then the one number to
 * ring now with whether it is open. Everything else (the summary, the later steps, key points,
 * procedures, reporting routes, resources, every contact, related questions, the source) is "More".
 */
export interface AnswerLayout {
  /** The possible band: ask "Is a child in danger right now?" before anything else. */
  asksAboutDanger: boolean;
  directAnswer: string | undefined;
  /** At most three steps, shown first. */
  firstSteps: string[];
  /** The other steps, numbered on from the first ones, behind "More". */
  laterSteps: string[];
  callNow: CallNowLine | undefined;
}

export interface CallNowLine {
  /** "Starting Point (Derbyshire)", or "the consultation line" when both areas' lines are shown. */
  label: string;
  numbers: Array<{ label: string; phone: string }>;
  /** "Open now, until 4pm" or "Closed, opens Monday at 10am", when the hours are known. */
  status: { open: boolean; text: string } | undefined;
}

/** Steps shown first, at most. */
export const firstStepsShown = 3;
/** …and no more words than this between them (at least one step is always shown). */
const firstStepsWords = 35;

const mentions999 = /\b999\b/;
/** A step sharing this share of its words with the line above it repeats it. */
const repeatedStepOverlap = 0.6;

/** The share of a step's longer words that the other text also uses. */
function overlap(step: string, other: string): number {
  const words = (text: string) => text.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  const otherWords = new Set(words(other));
  const stepWords = words(step);
  return stepWords.length === 0 ? 0 : stepWords.filter((word) => otherWords.has(word)).length / stepWords.length;
}

export function answerLayout(answer: Answer): AnswerLayout {
  // An emergency card says "Call 999 now" above everything; every other card carries the 999 line at its foot.
  const candidates = answer.emergency ? answer.actions.slice(1) : answer.actions.filter((action) => !mentions999.test(action));
  // A step that only says again what the line above it said ("No. … should not be viewed…") waits behind "More".
  const shownLine = answer.emergency ? undefined : answer.directAnswer;
  const steps = candidates.filter((step) => !shownLine || overlap(step, shownLine) < repeatedStepOverlap);
  const firstSteps: string[] = [];
  let words = 0;
  for (const step of steps) {
    const length = step.split(/\s+/).length;
    if (firstSteps.length >= firstStepsShown || (firstSteps.length > 0 && words + length > firstStepsWords)) break;
    firstSteps.push(step);
    words += length;
  }
  const laterSteps = answer.actions.filter((action) => !firstSteps.includes(action) && !(answer.emergency && action === answer.actions[0]));
  return {
    asksAboutDanger: answer.risk === 'possible',
    // On an emergency card the guidance for after (its direct answer) waits behind "More": 999 is what to do now.
    directAnswer: answer.emergency ? undefined : answer.directAnswer,
    firstSteps,
    laterSteps,
    callNow: answer.emergency ? undefined : callNowLine(answer.callNow),
  };
}

function callNowLine(contacts: readonly ContactView[]): CallNowLine | undefined {
  const withPhone = contacts.filter((contact) => contact.phone);
  if (withPhone.length === 0) return undefined;
  const status = withPhone[0]!.status;
  const sameStatus = withPhone.every((contact) => contact.status?.text === status?.text);
  if (withPhone.length === 1) {
    const [only] = withPhone;
    return { label: only!.shortName ?? only!.name, numbers: [{ label: '', phone: only!.phone! }], status };
  }
  return {
    label: 'the consultation line',
    numbers: withPhone.map((contact) => ({
      label:
        contact.area === 'derby-city' ? 'Derby City' : contact.area === 'derbyshire' ? 'Derbyshire' : (contact.shortName ?? contact.name),
      phone: contact.phone!,
    })),
    status: sameStatus ? status : undefined,
  };
}

/** "Call Starting Point (Derbyshire): 01629 535 353 · Open now, until 4pm", with each number drawn by the renderer. */
export function callNowText(
  line: CallNowLine,
  number: (phone: string) => string,
  escapeText: (text: string) => string = (text) => text,
): string {
  const numbers = line.numbers
    .map((entry) => (entry.label ? `${escapeText(entry.label)} ${number(entry.phone)}` : number(entry.phone)))
    .join(' · ');
  return `Call ${escapeText(line.label)}: ${numbers}${line.status ? ` · ${escapeText(line.status.text)}` : ''}`;
}
