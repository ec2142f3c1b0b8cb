import type { SmallTalk } from '../knowledge/pack-types.js';
import { PhraseMatcher } from './phrase-matcher.js';

export type SmallTalkKind = 'greeting' | 'help' | 'thanks' | 'triage';

export interface SmallTalkReading {
  kinds: SmallTalkKind[];
  /** The words left once greetings, thanks and requests for help are taken out. */
  remainder: string[];
}

/** Recognises "hello", "what can you do" and "thanks", and what is left of the message beside them. */
export class SmallTalkDetector {
  private readonly matcher = new PhraseMatcher<SmallTalkKind>();

  constructor(smallTalk: SmallTalk) {
    for (const phrase of smallTalk.greetings) this.matcher.add(phrase, 'greeting');
    for (const phrase of smallTalk.helpRequests) this.matcher.add(phrase, 'help');
    for (const phrase of smallTalk.thanks) this.matcher.add(phrase, 'thanks');
    for (const phrase of smallTalk.startTriage) this.matcher.add(phrase, 'triage');
  }

  read(tokens: readonly string[]): SmallTalkReading {
    const matches = this.matcher.findLongest(tokens);
    const kinds = [...new Set(matches.map((match) => match.value))];
    const remainder: string[] = [];
    let position = 0;
    for (const match of matches) {
      remainder.push(...tokens.slice(position, match.start));
      position = match.end;
    }
    remainder.push(...tokens.slice(position));
    return { kinds, remainder };
  }
}
