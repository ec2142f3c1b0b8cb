/**
 * Spots messages that look like they hold a child's personal details, so adapters can avoid
 * repeating them in shared channels, and removes such details before anything is recorded.
 * It errs on the side of caution; it never stores what it reads.
 */
export type PersonalDetailKind = 'name' | 'phone number' | 'email address' | 'postcode' | 'date of birth' | 'address';

export interface PrivacyFinding {
  containsPersonalDetails: boolean;
  kinds: PersonalDetailKind[];
}

interface DetailPattern {
  kind: PersonalDetailKind;
  pattern: RegExp;
  /** Replacement used when redacting. */
  placeholder: string;
}

/** Words that often follow "called" or "named" without being a person's name. */
const notNames = new Set(
  `the a an me him her them us it police 999 childline starting point social care services safeguarding lead dsl
  designated professional person nurse doctor officer team line helpline ceop back again out in up off
  about over round home school parents parent mum dad staff someone somebody nobody what something names
  derby derbyshire children child young people lado mash kids kid pupil pupils student students this that
  because after before when while if so and or but to for on at by roblox fortnite minecraft snapchat instagram
  tiktok discord whatsapp omegle kik telegram youtube facebook twitter xbox playstation`
    .split(/\s+/)
    .filter(Boolean),
);

/** "an app called ...", "a group named ...": what follows names a thing, not a person. */
const thingsWithNames =
  /\b(?:app|game|site|website|platform|group|chat|account|server|channel|page|video|challenge|trend|programme|procedure|document|tool|service|team|line|helpline|song|film|show)\s*$/i;

const namePattern = /\b(?:called|named|name is|name's|names are|known as|goes by)\s+([A-Za-z][A-Za-z'-]{1,30})/gi;

const patterns: DetailPattern[] = [
  { kind: 'email address', pattern: /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, placeholder: '[email]' },
  {
    kind: 'phone number',
    pattern: /(?<![\w])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}(?![\w])/g,
    placeholder: '[phone number]',
  },
  {
    kind: 'postcode',
    pattern: /\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b/gi,
    placeholder: '[postcode]',
  },
  {
    kind: 'date of birth',
    pattern:
      // After "dob" or "born", only the date itself: the words that follow may be the concern ("dob 12/06/2010: sextortion").
      /\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|(?:dob|d\.o\.b\.?|date of birth|born on|born)\s*:?\s*\d{1,2}(?:[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|(?:st|nd|rd|th)?(?:\s+(?:of\s+)?[a-z]{3,9}\.?)?(?:,?\s+\d{4})?))/gi,
    placeholder: '[date]',
  },
  {
    kind: 'address',
    pattern:
      /\b\d{1,4}[a-z]?\s+(?:[A-Za-z]+\s){1,3}(?:street|st|road|rd|avenue|ave|close|lane|drive|way|crescent|grove|terrace|court|place|gardens)\b/gi,
    placeholder: '[address]',
  },
];

export class PrivacyCheck {
  /** Contact details the pack itself publishes are not personal details when a user quotes them. */
  constructor(private readonly publishedDetails: ReadonlyArray<string> = []) {}

  inspect(text: string): PrivacyFinding {
    const kinds = new Set<PersonalDetailKind>();
    for (const { kind, pattern } of patterns) {
      for (const match of text.matchAll(pattern)) {
        if (!this.isPublished(match[0])) kinds.add(kind);
      }
    }
    if (this.findNames(text).length > 0) kinds.add('name');
    const ordered = (['name', 'phone number', 'email address', 'postcode', 'date of birth', 'address'] as const).filter((kind) =>
      kinds.has(kind),
    );
    return { containsPersonalDetails: ordered.length > 0, kinds: ordered };
  }

  /** The text with names, numbers, emails, postcodes, dates and addresses replaced by placeholders. */
  redact(text: string): string {
    let redacted = text;
    for (const { pattern, placeholder } of patterns) {
      redacted = redacted.replace(pattern, (found) => (this.isPublished(found) ? found : placeholder));
    }
    for (const name of this.findNames(redacted)) {
      redacted = redacted.replace(new RegExp(`\\b${escapeForRegExp(name)}\\b`, 'g'), '[name]');
    }
    // Any other long run of digits (a case number, an unusual phone format) goes too.
    return redacted.replace(/\d[\d\s-]{5,}\d/g, (found) => (this.isPublished(found) ? found : '[number]'));
  }

  private findNames(text: string): string[] {
    const names: string[] = [];
    for (const match of text.matchAll(namePattern)) {
      const candidate = match[1]!;
      const before = text.slice(Math.max(0, (match.index ?? 0) - 30), match.index ?? 0);
      if (!notNames.has(candidate.toLowerCase()) && !thingsWithNames.test(before)) names.push(candidate);
    }
    return names;
  }

  private isPublished(found: string): boolean {
    const digits = found.replace(/\D/g, '');
    return this.publishedDetails.some(
      (detail) => detail.toLowerCase() === found.toLowerCase().trim() || (digits.length > 0 && detail.replace(/\D/g, '') === digits),
    );
  }
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
