import { tokenise } from './text-normaliser.js';

/**
 * A sentence of a message as topic matching reads it. Practitioners often write a whole account:
 * who they are, an admin question, what happened, then what they want to know. Matching reads
 * every sentence; the weight says how much a sentence may speak for the topic.
 */
export interface AccountSentence {
  tokens: string[];
  /** 1 for an ordinary sentence; less for an opening that only says who is writing; more for the question asked. */
  weight: number;
  /** The sentence asks something (it ends with a question mark). */
  asks: boolean;
}

export interface AccountReaderOptions {
  /** Words the knowledge pack uses (in any form): never taken for a name. */
  isPackWord(word: string): boolean;
  /** Everyday English: a capitalised English word opening a sentence is just a sentence opening. */
  isEnglishWord(word: string): boolean;
  /** The message with personal details (numbers, emails, postcodes, dates, addresses, "called X") replaced by placeholders. */
  redact(text: string): string;
}

/** An opening that says only who is writing ("Scout leader.", "I'm a school nurse", "Midwife here") names a role, not the concern. */
const openingRoleWeight = 0.2;
/** The question asked says what the practitioner needs from the account. */
const questionWeight = 1.5;
/** Dictated text has no full stops; it is read in overlapping stretches of this many words. */
const stretchWords = 14;
const stretchStep = 8;
const longestSentenceWords = 20;

const placeholders = /\[(?:name|email|phone number|postcode|date|address|number)\]/g;
const sentenceEnd = /(?<=[.!?;:\n])|\s[-\u2013]\s|,\s+(?=(?:and|but|also|so|then)\b)/i;
const rolePattern =
  /^(?:(?:hi|hello|hiya|morning|good (?:morning|afternoon|evening)),?\s+)?(?:(?:i am|i'm|im|i work as)\s+(?:a|an|the|one of the)\s+)?[a-z' -]+?(?:\s+here)?\W*$/i;

export class AccountReader {
  constructor(private readonly options: AccountReaderOptions) {}

  /**
   * The message's sentences, without personal details: a child's name, a postcode or a date of
   * birth says nothing about which part of the procedure applies, and left in, unknown words weigh
   * against an answer ("I don't know") however clear the concern is.
   */
  sentences(text: string): Array<{ text: string; weight: number; asks: boolean }> {
    const cleaned = this.withoutNames(this.options.redact(text).replace(placeholders, ' '));
    const sentences: Array<{ text: string; weight: number; asks: boolean }> = [];
    for (const part of cleaned.split(sentenceEnd)) {
      if (!part || !/[a-z0-9]/i.test(part)) continue;
      const trimmed = part.trim();
      const question = /\?\s*$/.test(trimmed);
      const opening = sentences.length === 0 && !question && tokenise(trimmed).length <= 7 && rolePattern.test(trimmed);
      sentences.push({ text: trimmed, weight: opening ? openingRoleWeight : question ? questionWeight : 1, asks: question });
    }
    return sentences;
  }

  /** Each sentence as tokens, long unpunctuated ones (dictation) cut into overlapping stretches. */
  read(text: string, toTokens: (sentence: string) => string[]): AccountSentence[] {
    const read: AccountSentence[] = [];
    for (const sentence of this.sentences(text)) {
      const tokens = toTokens(sentence.text);
      if (tokens.length === 0) continue;
      if (tokens.length <= longestSentenceWords) {
        read.push({ tokens, weight: sentence.weight, asks: sentence.asks });
        continue;
      }
      for (let start = 0; start < tokens.length; start += stretchStep) {
        read.push({ tokens: tokens.slice(start, start + stretchWords), weight: sentence.weight, asks: sentence.asks });
        if (start + stretchWords >= tokens.length) break;
      }
    }
    return read;
  }

  /**
   * Capitalised words the pack does not know are names of people and places ("Kayleigh", "Tyler
   * Brooks", "Mansfield"); at the start of a sentence only when they are not everyday English.
   */
  private withoutNames(text: string): string {
    return text.replace(/(^|[.!?:;\n"'(]\s*|\s)([A-Z][a-z]+(?:-[A-Z]?[a-z]+)*)(?=$|[^A-Za-z])/g, (found, before: string, word: string) => {
      const lower = word.toLowerCase();
      if (this.options.isPackWord(lower)) return found;
      const opensSentence = /^$|[.!?:;\n"'(]\s*$/.test(before);
      if (opensSentence && !word.includes('-') && this.options.isEnglishWord(lower)) return found;
      return `${before} `;
    });
  }
}
