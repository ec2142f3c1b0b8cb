import type { ImmediateRiskSignals } from '../knowledge/pack-types.js';
import { type PhraseMatch, PhraseMatcher } from './phrase-matcher.js';

export interface ImmediateRiskFinding {
  /** Ids of the signals that fired, e.g. "meeting-soon". */
  signals: string[];
  /** Their explanations from the knowledge pack. */
  reasons: string[];
  /** True when a signal that decides on its own fired (`decides: true`). */
  decides: boolean;
}

interface CompiledSignal {
  id: string;
  why: string;
  decides: boolean;
  maxWords: number;
  /** How far (in words) each group's match may lie from a match of the first group; infinite when not set. */
  withinWords: number;
  groupCount: number;
}

/** Which signal, which of its groups (or "unless"), a phrase belongs to. */
interface PhraseRole {
  signal: number;
  group: number | 'unless';
}

/**
 * Finds the immediate-risk signals in a question (knowledge/language/immediate-risk-signals.yaml,
 * data a safeguarding lead can extend). A signal marked `decides` puts the reply in the emergency
 * band on its own; the others explain, in the editor's words, an emergency the learned model finds.
 */
export class ImmediateRiskDetector {
  private readonly signals: CompiledSignal[];
  private readonly phrases = new PhraseMatcher<PhraseRole>();
  private readonly negations: ReadonlySet<string>;
  private readonly negationWindow: number;
  private readonly negatedWordsIgnored: ReadonlySet<string>;

  constructor(definition: ImmediateRiskSignals) {
    this.negations = new Set(definition.negations);
    this.negationWindow = definition.negationWindow;
    this.negatedWordsIgnored = new Set(definition.negatedWordsIgnored);
    this.signals = definition.signals.map((signal, signalIndex) => {
      const groups = signal.all ?? [signal.any ?? []];
      groups.forEach((group, groupIndex) => {
        // "$name", as the whole group or as one of its phrases, stands for the shared word list of that name.
        const phrases = (typeof group === 'string' ? [group] : group).flatMap((phrase) =>
          phrase.startsWith('$') ? (definition.lists[phrase.slice(1)] ?? []) : [phrase],
        );
        for (const phrase of phrases) this.phrases.add(phrase, { signal: signalIndex, group: groupIndex });
      });
      for (const phrase of signal.unless ?? []) this.phrases.add(phrase, { signal: signalIndex, group: 'unless' });
      return {
        id: signal.id,
        why: signal.why,
        decides: signal.decides === true,
        maxWords: signal.maxWords ?? Number.POSITIVE_INFINITY,
        withinWords: signal.withinWords ?? Number.POSITIVE_INFINITY,
        groupCount: groups.length,
      };
    });
  }

  detect(tokens: readonly string[]): ImmediateRiskFinding {
    // Where each group of each signal matched (word positions), leaving out negated matches.
    const matchedAt = this.signals.map((signal) => Array.from({ length: signal.groupCount }, () => [] as number[]));
    const vetoed = new Array<boolean>(this.signals.length).fill(false);
    for (const match of this.phrases.findAll(tokens)) {
      const { signal, group } = match.value;
      if (group === 'unless') vetoed[signal] = true;
      else if (!this.isNegated(tokens, match)) matchedAt[signal]![group]!.push(match.start);
    }
    const fired = this.signals.filter(
      (signal, index) => !vetoed[index] && tokens.length <= signal.maxWords && allGroupsNear(matchedAt[index]!, signal.withinWords),
    );
    // Deciding signals first, so the reason shown is the one that decided.
    fired.sort((a, b) => Number(b.decides) - Number(a.decides));
    return {
      signals: fired.map((signal) => signal.id),
      reasons: fired.map((signal) => signal.why),
      decides: fired.some((signal) => signal.decides),
    };
  }

  /**
   * The question without urgency words that a negation cancels ("not urgent", "no immediate risk"),
   * so that topic matching goes by what the question is actually about.
   */
  withoutNegatedUrgency(tokens: readonly string[]): string[] {
    return tokens.filter((token, index) => !(this.negatedWordsIgnored.has(token) && this.negationBefore(tokens, index)));
  }

  private negationBefore(tokens: readonly string[], index: number): boolean {
    for (let before = Math.max(0, index - this.negationWindow); before < index; before++) {
      if (this.negations.has(tokens[before]!)) return true;
    }
    return false;
  }

  private isNegated(tokens: readonly string[], match: PhraseMatch<PhraseRole>): boolean {
    return this.negationBefore(tokens, match.start);
  }
}

/** True when every group matched, each within `withinWords` words of one match of the first group. */
function allGroupsNear(positionsByGroup: readonly number[][], withinWords: number): boolean {
  if (positionsByGroup.some((positions) => positions.length === 0)) return false;
  const [anchors, ...others] = positionsByGroup;
  return anchors!.some((anchor) => others.every((positions) => positions.some((position) => Math.abs(position - anchor) <= withinWords)));
}
