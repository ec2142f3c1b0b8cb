import type { RiskMemberWeights, RiskModelHeader, RiskModelWeights } from '../../knowledge/risk-model-file.js';
import {
  featureHashBits,
  forEachReadingWindow,
  messageFeatureScale,
  messagePairFeature,
  messageWordFeature,
  ownWordFeatures,
  pairFeature,
  type SparseFeatures,
} from './risk-features.js';

/**
 * What a word contributes wherever it stands, for every member at once: its vector row (-1: none),
 * then for each member its own weight in the window (the word and its character n-grams) and in the
 * message. One lookup per word instead of one per member and one for the row.
 */
type CachedWord = Float64Array;

const wordCacheLimit = 50_000;

/** How many of a long message's last words are read again on their own (see RiskModel.score): about a paragraph. */
export const latestNewsWords = 120;

/**
 * How near the end a "what should we do if …" may start and still be taken for the message's closing
 * question (see RiskModel.score): about one long sentence.
 */
export const closingQuestionWords = 40;

/**
 * A long account is also read a paragraph at a time (`latestNewsWords` words, moving on this many), so
 * that a danger told in the middle, followed by calm questions, is not damped by them (see RiskModel.score).
 */
export const paragraphStrideWords = 40;

/**
 * How sure a paragraph read alone must be before it decides, well above the emergency threshold: what
 * makes its news not a danger now ("she is safe at home", "the police know about it") may be told in
 * another paragraph, which this reading does not see.
 */
export const paragraphConfidence = 0.97;

/** The words before an "if" that make it a question about what to do in a case, not news of one. */
const askingWhatToDo = new Set(['do', 'does', 'did']);

export interface RiskScore {
  /** How likely the message is to describe a child at immediate risk now, 0 to 1. */
  probability: number;
  /**
   * The words of the window that weighed most towards danger, most first (at most three). Worked out
   * only when asked (most messages are not alarming), and only before the model scores another message.
   */
  weighedMost(): string[];
}

/**
 * The learned immediate-risk model (trained by `npm run train:risk`): a few members trained alike
 * from different seeds, whose scores are averaged, so that no one training run's quirks decide.
 */
export class RiskModel {
  private readonly members: RiskMember[];
  private readonly rowOfWord = new Map<string, number>();
  private readonly wordCache = new Map<string, CachedWord>();
  /** Every member's hashed feature weights, one table for the window and one for the message (see MemberWeights). */
  private readonly windowTable: MemberWeights;
  private readonly messageTable: MemberWeights;

  constructor(private readonly weights: RiskModelWeights) {
    const { header } = weights;
    if (header.layout.wordRowWidth !== 2 * header.hidden + 2)
      throw new Error('risk model: word rows do not match the hidden layer; retrain it.');
    header.vocabulary.split(' ').forEach((word, row) => {
      if (word) this.rowOfWord.set(word, row);
    });
    this.windowTable = new MemberWeights(weights.members.map((member) => [member.windowFeatureIds, member.windowFeatureWeights]));
    this.messageTable = new MemberWeights(weights.members.map((member) => [member.messageFeatureIds, member.messageFeatureWeights]));
    this.members = weights.members.map(
      (member, index) => new RiskMember(header, member, header.layout.members[index]!, index, this.windowTable, this.messageTable),
    );
  }

  get thresholds(): { emergency: number; possible: number } {
    return this.weights.header.thresholds;
  }

  /**
   * The whole message, and in a long one its last words read again as a message of their own; the
   * more worried reading wins. A long account often ends on news that has just arrived ("his mates
   * have just run in: a man led him into the woods"), and read whole, the calm background before it
   * (an admin question, a history of the case) is context that damps the danger. Words that make
   * such news not a danger now ("last year", "she is safe", "the scenario was this") mostly sit in the
   * same paragraph, so the last words carry them too; two sentences were too few (blind round 14: a
   * hypothetical or a training scenario at the end read as news). The trainer scores dev with this
   * same reading when it chooses the thresholds; the shipped model's were chosen before it existed,
   * and the next training run chooses them again.
   *
   * A long account that closes by asking what to do *if* a danger happened ("what should a tutor do
   * if a child says the man is waiting outside right now?") is asking about a case, not telling one:
   * read alone, its last words sound like news (blind rounds 14 and 15: training scenarios and a
   * briefing). So the last words are read only up to that "if"; a danger told before the question
   * ("he is parked outside now, what do I do if he knocks?") is still read, and the whole message
   * still reads the question itself.
   *
   * A danger told in the middle, followed by calm questions, is damped by them in both readings; so a
   * long account is also read a paragraph at a time, and a paragraph decides only when it is very sure
   * (see mostWorriedParagraph).
   */
  score(tokens: readonly string[]): RiskScore {
    if (tokens.length === 0) return { probability: 0, weighedMost: () => [] };
    const reading = this.read(tokens);
    const whole = this.scoreReading(tokens, reading);
    if (tokens.length <= latestNewsWords) return whole;
    // Each reading reuses the members' working arrays, so the one that wins is scored again to explain it.
    let most: Candidate = { probability: whole.probability, again: () => this.scoreReading(tokens, reading) };
    const from = tokens.length - latestNewsWords;
    const question = closingQuestionAt(tokens);
    const lastWords = () =>
      question === undefined ? this.scoreLastWords(tokens, from, reading) : this.scoreAfresh(tokens, from, question);
    const end = lastWords().probability;
    if (end > most.probability) most = { probability: end, again: lastWords };
    if (most.probability < paragraphConfidence) most = this.mostWorriedParagraph(tokens, from) ?? most;
    const winner = most;
    return { probability: winner.probability, weighedMost: () => winner.again().weighedMost() };
  }

  /**
   * The most worried paragraph before the last words (which are read already), when one is at least
   * `paragraphConfidence` sure. An account may tell "she took the rest of her tablets an hour ago"
   * halfway through and then ask about recording and consent (blind rounds 16, 17 and 19): read whole,
   * the calm questions damp it to a possible risk; read alone, its paragraph is an emergency. Each
   * paragraph is read afresh, as a message of its own.
   */
  private mostWorriedParagraph(tokens: readonly string[], lastFrom: number): Candidate | undefined {
    let most: Candidate | undefined;
    for (let start = 0; start < lastFrom; start += paragraphStrideWords) {
      const again = () => this.scoreAfresh(tokens, start, start + latestNewsWords);
      const { probability } = again();
      if (probability >= paragraphConfidence && probability > (most?.probability ?? 0)) most = { probability, again };
    }
    return most;
  }

  /** The last words' reading is the end of the whole one: a word's pair is with the next word, and the last word has none in both. */
  private scoreLastWords(tokens: readonly string[], from: number, reading: Reading): RiskScore {
    const members = this.members.length;
    return this.scoreReading(tokens.slice(from), {
      pairs: reading.pairs.subarray(from * members),
      messagePairs: reading.messagePairs.subarray(from * members),
      rows: reading.rows.subarray(from),
      words: reading.words.slice(from),
    });
  }

  /**
   * Some of the words read afresh, as a message of their own: the last of them pairs with nothing
   * after it. Used for the last words up to a closing question (at least 80 of them: the question
   * starts within the last 40; the last word must not pair with the "if") and for each paragraph.
   */
  private scoreAfresh(tokens: readonly string[], from: number, to: number): RiskScore {
    const words = tokens.slice(from, to);
    return this.scoreReading(words, this.read(words));
  }

  private scoreReading(tokens: readonly string[], reading: Reading): RiskScore {
    let total = 0;
    let mostWorried: MemberScore | undefined;
    for (const member of this.members) {
      const scored = member.score(tokens, reading);
      total += scored.logit;
      if (!mostWorried || scored.logit > mostWorried.logit) mostWorried = scored;
    }
    const logit = total / this.members.length;
    // The words come from the most worried member: the one whose reading most explains the alarm.
    return { probability: 1 / (1 + Math.exp(-logit)), weighedMost: () => mostWorried?.explain() ?? [] };
  }

  /** What every member needs of the message and is the same for all: word pairs hashed, vector rows, windows. */
  private read(tokens: readonly string[]): Reading {
    const count = tokens.length;
    const members = this.members.length;
    const pairs = new Float64Array(count * members);
    const messagePairs = new Float64Array(count * members);
    const rows = new Int32Array(count);
    const words: CachedWord[] = new Array(count);
    for (let index = 0; index < count; index++) {
      const word = tokens[index]!;
      const next = tokens[index + 1];
      if (next !== undefined) {
        this.windowTable.allMembers(pairFeature(word, next), pairs, index * members);
        this.messageTable.allMembers(messagePairFeature(word, next), messagePairs, index * members);
      }
      const cached = this.cachedWord(word);
      rows[index] = cached[0]!;
      words[index] = cached;
    }
    return { pairs, messagePairs, rows, words };
  }

  /** A word's row and every member's weights for it, remembered: most words recur from message to message. */
  private cachedWord(word: string): CachedWord {
    let cached = this.wordCache.get(word);
    if (cached) return cached;
    cached = new Float64Array(1 + 2 * this.members.length);
    cached[0] = this.rowOfWord.get(word) ?? -1;
    const features: SparseFeatures = { ids: [], values: [] };
    ownWordFeatures(word, features);
    const messageFeature = messageWordFeature(word);
    this.members.forEach((member, index) => {
      const own = member.ownWeights(features, messageFeature);
      cached[1 + 2 * index] = own.window;
      cached[2 + 2 * index] = own.message;
    });
    // A bound, so that a stream of made-up words cannot grow it without end.
    if (this.wordCache.size >= wordCacheLimit) this.wordCache.clear();
    this.wordCache.set(word, cached);
    return cached;
  }
}

/** Where a closing "… do if …" question starts (the index of its "if"), when it starts near the end. */
function closingQuestionAt(tokens: readonly string[]): number | undefined {
  const nearest = Math.max(1, tokens.length - closingQuestionWords);
  for (let index = tokens.length - 1; index >= nearest; index--)
    if (tokens[index] === 'if' && askingWhatToDo.has(tokens[index - 1]!)) return index;
  return undefined;
}

/** One reading's probability, and how to score it again to explain it. */
interface Candidate {
  probability: number;
  again(): RiskScore;
}

interface Reading {
  /** Each member's weight for each word and the next (0 for the last word), in the window and in the message: word i, member m at i * members + m. */
  pairs: Float64Array;
  messagePairs: Float64Array;
  /** Row of each word's distilled vector, or -1. */
  rows: Int32Array;
  /** Each word's cached weights (see CachedWord). */
  words: CachedWord[];
}

interface MemberScore {
  logit: number;
  /** The words that weighed most in the winning window; worked out only when asked. */
  explain(): string[];
}

/**
 * One member. It reads the message in overlapping windows; each window is scored on its own words
 * (hashed words, word pairs, character n-grams, and what its words mean through distilled word
 * vectors), the most worrying window wins, and the message as a whole adds its context ("last
 * year", "she is safe now", "what does the law say").
 */
class RiskMember {
  private scratch = {
    wordWeight: new Float64Array(0),
    weightSums: new Float64Array(1),
    sums: new Float64Array(0),
    withVector: new Int32Array(1),
  };
  private readonly hidden: number;
  private readonly rowWidth: number;

  constructor(
    header: RiskModelHeader,
    private readonly weights: RiskMemberWeights,
    /** This member's reading window: how many words, and how far it moves on. */
    private readonly window: { windowWords: number; windowStride: number },
    /** Its place among the members (where its weights sit in a CachedWord and in the tables). */
    private readonly index: number,
    private readonly windowTable: MemberWeights,
    private readonly messageTable: MemberWeights,
  ) {
    this.hidden = header.hidden;
    this.rowWidth = header.layout.wordRowWidth;
  }

  score(tokens: readonly string[], reading: Reading): MemberScore {
    const count = tokens.length;
    const { pairs, messagePairs, rows, words } = reading;
    const own = 1 + 2 * this.index;
    const members = this.windowTable.members;
    const { hidden, rowWidth } = this;
    const { wordRows, wordRowScales, hiddenBias, hiddenOut } = this.weights;

    // Each word's own weight wherever its window falls, and running sums of it and of the word rows,
    // so that any window costs the same however long the message is.
    const { wordWeight, weightSums, sums, withVector } = this.scratchFor(count);
    let messageScore = 0;
    for (let index = 0; index < count; index++) {
      const cached = words[index]!;
      wordWeight[index] = cached[own]! + pairs[index * members + this.index]!;
      weightSums[index + 1] = weightSums[index]! + wordWeight[index]!;
      messageScore += cached[own + 1]! + messagePairs[index * members + this.index]!;

      const base = index * rowWidth;
      const row = rows[index]!;
      withVector[index + 1] = withVector[index]! + (row < 0 ? 0 : 1);
      if (row < 0) {
        for (let k = 0; k < rowWidth; k++) sums[base + rowWidth + k] = sums[base + k]!;
        continue;
      }
      const scale = wordRowScales[row]!;
      const from = row * rowWidth;
      for (let k = 0; k < rowWidth; k++) sums[base + rowWidth + k] = sums[base + k]! + wordRows[from + k]! * scale;
    }

    const messageWords = withVector[count]!;
    const meanAt = (start: number, end: number, k: number, words: number) =>
      (sums[end * rowWidth + k]! - sums[start * rowWidth + k]!) / words;
    let context = this.weights.outputBias + messageScore * messageFeatureScale(count);
    if (messageWords > 0) context += meanAt(0, count, 2 * hidden + 1, messageWords);
    const messageHidden = new Float64Array(hidden);
    for (let unit = 0; unit < hidden; unit++) {
      messageHidden[unit] = hiddenBias[unit]! + (messageWords > 0 ? meanAt(0, count, hidden + unit, messageWords) : 0);
    }

    let best = Number.NEGATIVE_INFINITY;
    let bestWindow: [number, number] = [0, count];
    const scoreWindow = (start: number, end: number) => {
      let score = weightSums[end]! - weightSums[start]!;
      const words = withVector[end]! - withVector[start]!;
      if (words > 0) {
        const from = start * rowWidth;
        const to = end * rowWidth;
        for (let unit = 0; unit < hidden; unit++) {
          const input = (sums[to + unit]! - sums[from + unit]!) / words + messageHidden[unit]!;
          if (input > 0) score += hiddenOut[unit]! * input;
        }
        score += (sums[to + 2 * hidden]! - sums[from + 2 * hidden]!) / words;
      } else {
        for (let unit = 0; unit < hidden; unit++) if (messageHidden[unit]! > 0) score += hiddenOut[unit]! * messageHidden[unit]!;
      }
      if (score > best) {
        best = score;
        bestWindow = [start, end];
      }
    };
    forEachReadingWindow(count, this.window.windowWords, this.window.windowStride, scoreWindow);

    return {
      logit: best + context,
      explain: () => this.weighedMost(tokens, bestWindow, wordWeight, rows, sums, withVector, messageHidden),
    };
  }

  /**
   * Working arrays, kept between messages: allocating them afresh for every long message made the
   * garbage collector the slowest part. Valid until the next call (the model explains its winning
   * member before scoring another message).
   */
  private scratchFor(count: number) {
    if (this.scratch.wordWeight.length < count) {
      const size = Math.max(count, 2 * this.scratch.wordWeight.length);
      this.scratch = {
        wordWeight: new Float64Array(size),
        weightSums: new Float64Array(size + 1),
        sums: new Float64Array((size + 1) * this.rowWidth),
        withVector: new Int32Array(size + 1),
      };
    }
    return this.scratch;
  }

  /** A word's own weights in this member, in the window (the word and its character n-grams) and in the message. */
  ownWeights(features: SparseFeatures, messageFeature: number): { window: number; message: number } {
    let window = 0;
    for (let feature = 0; feature < features.ids.length; feature++)
      window += this.windowTable.get(features.ids[feature]!, this.index) * features.values[feature]!;
    return { window, message: this.messageTable.get(messageFeature, this.index) };
  }

  /** Each word's share of the winning window's score; the largest positive shares, as words. */
  private weighedMost(
    tokens: readonly string[],
    [start, end]: [number, number],
    wordWeight: Float64Array,
    rows: Int32Array,
    sums: Float64Array,
    withVector: Int32Array,
    messageHidden: Float64Array,
  ): string[] {
    const { hidden, rowWidth } = this;
    const { wordRows, wordRowScales, hiddenOut } = this.weights;
    const vectors = withVector[end]! - withVector[start]!;
    const active = new Uint8Array(hidden);
    for (let unit = 0; unit < hidden; unit++) {
      const windowMean = vectors > 0 ? (sums[end * rowWidth + unit]! - sums[start * rowWidth + unit]!) / vectors : 0;
      active[unit] = windowMean + messageHidden[unit]! > 0 ? 1 : 0;
    }
    const shares: Array<{ word: string; share: number }> = [];
    for (let index = start; index < end; index++) {
      let share = wordWeight[index]!;
      const row = rows[index]!;
      if (row >= 0) {
        const from = row * rowWidth;
        let meaning = wordRows[from + 2 * hidden]!;
        for (let unit = 0; unit < hidden; unit++) if (active[unit]) meaning += hiddenOut[unit]! * wordRows[from + unit]!;
        share += (meaning * wordRowScales[row]!) / vectors;
      }
      shares.push({ word: tokens[index]!, share });
    }
    const words: string[] = [];
    for (const { word, share } of shares.sort((a, b) => b.share - a.share)) {
      if (share <= 0 || words.length === 3) break;
      if (!words.includes(word) && /[a-z]/.test(word)) words.push(word);
    }
    return words;
  }
}

/**
 * Hashed feature weights of every member, as the trainer writes them (per member, ids in ascending
 * order with their weights), in one open-addressing table: an id and all members' weights for it
 * side by side in one slot, found in one or two probes. A message costs a few lookups per word, and
 * in a busy server a lookup that misses the processor's cache costs more than the arithmetic: a
 * sorted search per member touched several cache lines where this touches one.
 */
class MemberWeights {
  readonly members: number;
  /** Slot i: the id at i * stride (-1: empty), then each member's weight (0 where it has none). */
  private readonly ids: Int32Array;
  private readonly weights: Float32Array;
  private readonly stride: number;
  private readonly mask: number;

  constructor(tables: ReadonlyArray<readonly [Uint32Array, Float32Array]>) {
    this.members = tables.length;
    this.stride = 1 + tables.length;
    const distinct = new Set<number>();
    for (const [ids] of tables) {
      let previous = -1;
      for (const id of ids) {
        if (id <= previous || id >>> featureHashBits !== 0) throw new Error('risk model: feature ids out of order; retrain it.');
        previous = id;
        distinct.add(id);
      }
    }
    let capacity = 1;
    // At most half full, so a lookup rarely probes more than twice.
    while (capacity < 2 * distinct.size) capacity *= 2;
    this.mask = capacity - 1;
    const buffer = new ArrayBuffer(capacity * this.stride * 4);
    this.ids = new Int32Array(buffer);
    this.weights = new Float32Array(buffer);
    for (let slot = 0; slot < capacity; slot++) this.ids[slot * this.stride] = -1;
    tables.forEach(([ids, weights], member) => {
      for (let index = 0; index < ids.length; index++) {
        const at = this.place(ids[index]!);
        this.weights[at + 1 + member] = weights[index]!;
      }
    });
  }

  /** One member's weight for a feature (0 when it has none). */
  get(id: number, member: number): number {
    const at = this.find(id);
    return at < 0 ? 0 : this.weights[at + 1 + member]!;
  }

  /** Every member's weight for a feature, written into `into` from `offset` (left as they are when none has it). */
  allMembers(id: number, into: Float64Array, offset: number): void {
    const at = this.find(id);
    if (at < 0) return;
    for (let member = 0; member < this.members; member++) into[offset + member] = this.weights[at + 1 + member]!;
  }

  private find(id: number): number {
    const { ids, stride, mask } = this;
    // Ids are hashes already: their low bits spread evenly over the slots.
    for (let slot = id & mask; ; slot = (slot + 1) & mask) {
      const found = ids[slot * stride]!;
      if (found === id) return slot * stride;
      if (found === -1) return -1;
    }
  }

  /** The slot for an id, taken for it if it has none yet. */
  private place(id: number): number {
    const { ids, stride, mask } = this;
    for (let slot = id & mask; ; slot = (slot + 1) & mask) {
      const found = ids[slot * stride]!;
      if (found === id) return slot * stride;
      if (found === -1) {
        ids[slot * stride] = id;
        return slot * stride;
      }
    }
  }
}
