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
  private readonly concern = new PhraseMatcher<true>();

  constructor(smallTalk: SmallTalk) {
    for (const phrase of smallTalk.greetings) this.matcher.add(phrase, 'greeting');
    for (const phrase of smallTalk.helpRequests) this.matcher.add(phrase, 'help');
    for (const phrase of smallTalk.thanks) this.matcher.add(phrase, 'thanks');
    for (const phrase of smallTalk.startTriage) this.matcher.add(phrase, 'triage');
    for (const phrase of smallTalk.concernWords ?? []) this.concern.add(phrase, true);
  }

  /** Does a message the bot could not match still speak of a child or a worry? */
  mentionsConcern(tokens: readonly string[]): boolean {
    return this.concern.findLongest(tokens).length > 0;
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
