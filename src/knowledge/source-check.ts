import type { Contact, Weekday } from './pack-types.js';

/**
 * The procedure text a pack is written from. Numbers, emails, opening times and names in the pack
 * must appear in it word for word: a wrong number can cost a child help.
 */
export class SourceText {
  private readonly exact: string;
  private readonly lowerCase: string;

  constructor(text: string) {
    this.exact = flattenForComparison(text);
    this.lowerCase = this.exact.toLowerCase();
  }

  /** The text as compared (curly quotes straightened, white space runs as one space). */
  get text(): string {
    return this.exact;
  }

  contains(fragment: string): boolean {
    return this.exact.includes(flattenForComparison(fragment));
  }

  containsIgnoringCase(fragment: string): boolean {
    return this.lowerCase.includes(flattenForComparison(fragment).toLowerCase());
  }
}

/** Curly quotes and runs of white space differ between copies of the same text; nothing else may. */
function flattenForComparison(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ');
}

const dayOrder: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Reads hours such as "Monday to Friday from 10am to 4pm" so the pack check can confirm the
 * structured hours say the same thing. Returns undefined for wording it does not understand.
 */
export function readPublishedHours(text: string): { days: Weekday[]; opens: string; closes: string } | undefined {
  const days =
    /(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+to\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)/i.exec(
      text,
    );
  const times = /(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)\s+to\s+(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)/i.exec(text);
  if (!days || !times) return undefined;
  const first = dayOrder.indexOf(days[1]!.toLowerCase() as Weekday);
  const last = dayOrder.indexOf(days[2]!.toLowerCase() as Weekday);
  if (first < 0 || last < first) return undefined;
  return {
    days: dayOrder.slice(first, last + 1),
    opens: toClock(times[1]!, times[2], times[3]!),
    closes: toClock(times[4]!, times[5], times[6]!),
  };
}

function toClock(hour: string, minutes: string | undefined, meridiem: string): string {
  let h = Number(hour) % 12;
  if (meridiem.toLowerCase() === 'pm') h += 12;
  return `${String(h).padStart(2, '0')}:${minutes ?? '00'}`;
}

export function structuredHoursMatchPublished(contact: Contact): boolean {
  if (!contact.hours || !contact.hoursAsPublished) return true;
  const published = readPublishedHours(contact.hoursAsPublished);
  if (!published || contact.hours.length !== 1) return false;
  const [period] = contact.hours;
  return (
    period !== undefined &&
    period.opens === published.opens &&
    period.closes === published.closes &&
    period.days.length === published.days.length &&
    published.days.every((day) => period.days.includes(day))
  );
}
