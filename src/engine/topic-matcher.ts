import type { KnowledgePack, Topic } from '../knowledge/pack-types.js';
import type { AccountSentence } from './account-reader.js';
import type { TermAnalyser } from './term-analyser.js';
import { tokenise } from './text-normaliser.js';

/** How strongly each part of a topic speaks for it (title and keywords most, actions least). */
const fieldWeights = {
  title: 1,
  keywords: 1,
  phrasings: 0.9,
  summary: 0.45,
  details: 0.45,
  references: 0.45,
  actions: 0.2,
} as const;

/**
 * Words the pack never uses still say something about the question. An everyday English word
 * ("printer", "signature") suggests the question is about something else; anything else (a name,
 * a typo, slang) says less.
 */
const unknownEverydayWordWeight = 1.6;
const unknownOtherWordWeight = 0.7;

export interface TopicMatch {
  topic: Topic;
  /** 0 to 1: how much of the question this topic explains, weighted by how telling each word is. */
  coverage: number;
  /** 0 to 1: how close the question is to the topic's nearest phrasing. */
  phrasingSimilarity: number;
  /** Sum of the weights of the words and word pairs the topic shares with the question. */
  evidence: number;
  /** Combined score used for ranking, 0 to 1. */
  score: number;
  /** How many telling words of the question the topic shares, in any field but its actions. */
  sharedWords: number;
  /** How many telling words of the question are in the topic's title or keywords. */
  titleOrKeywordWords: number;
  /** How many of the shared telling words are jargon of the field rather than English ("sextorted", "LADO"). */
  jargonWords: number;
  /** Everyday English words in the question that the pack never uses ("printer", "signature"). */
  unrelatedWords: number;
  /** The topic's own phrasing that came closest: why this topic, in the pack's words. */
  closestPhrasing?: string;
  /** The topic's specific question (an index into `questions`) whose wording came closest, and how close. */
  closestQuestion?: { index: number; similarity: number };
}

/** How much an everyday English word counts, relative to a word of the field. */
const everydayWordFactor = 0.6;

/**
 * A word this rare across topics tells them apart; commoner ones ("child", "online", "safeguarding")
 * do not. Jargon ("dsl", "lado") tells them apart however common it is in the pack.
 */
const tellingWordFrequency = 1.3;

/** How many sentences of an account are ranked one by one (those carrying the most of the field's vocabulary). */
const accountSentencesRanked = 10;

interface Closest {
  similarity: number;
  phrasing: number;
  question?: { index: number; similarity: number };
}

/** What scoreTopics() hands over for each topic a question touches: a match before its topic and closest phrasing are looked up. */
type ScoredTopic = Omit<TopicMatch, 'topic' | 'closestPhrasing' | 'closestQuestion'> & {
  topicIndex: number;
  near: Closest | undefined;
};

interface CompiledTerm {
  weight: number;
  rarity: number;
  /** The topics that use the term, and how strongly (its best field's weight) in each. */
  topics: Int32Array;
  fieldWeights: Float64Array;
}

interface MatcherScratch {
  evidence: Float64Array;
  unigramEvidence: Float64Array;
  shared: Int32Array;
  strong: Int32Array;
  sharedJargon: Int32Array;
  /** Which topics this question touched, so only they are read and reset. */
  seen: Uint8Array;
  touched: number[];
  sharedByPhrasing: Float64Array;
  phrasingSeen: Uint8Array;
  touchedPhrasings: number[];
}

interface IndexedPhrasing {
  topicIndex: number;
  text: string;
  /** Set for the wordings of a topic's specific questions ("should I look at the image"). */
  questionIndex?: number;
  terms: ReadonlySet<string>;
  /** Sum of the weights of its words. */
  weight: number;
}

/**
 * Ranks topics for a question. An inverted index over short fields narrows the candidates to the
 * topics that share a term with the question, then each candidate is scored on coverage of the
 * question and similarity to its closest phrasing. Cost grows with the question's terms, not with
 * the size of the pack's text.
 */
export class TopicMatcher {
  private readonly postings = new Map<string, Map<number, number>>();
  /** The postings as arrays, with each term's weights beside them: what rank() reads, many times a question. */
  private readonly compiled = new Map<string, CompiledTerm>();
  /** Working arrays for rank(), one slot per topic or phrasing, reused: rank() runs for every sentence of an account. */
  private readonly scratch: MatcherScratch;
  /** How rare each term is across topics (inverse document frequency). */
  private readonly inverseFrequency = new Map<string, number>();
  /** How much each term counts in scores: its rarity, less for everyday English words. */
  private readonly termWeight = new Map<string, number>();
  private readonly phrasings: IndexedPhrasing[] = [];
  /** Which phrasings contain each term, so only phrasings sharing a word with the question are compared. */
  private readonly phrasingPostings = new Map<string, number[]>();
  private readonly topics: readonly Topic[];

  constructor(
    pack: KnowledgePack,
    private readonly analyser: TermAnalyser,
    private readonly everydayWords: ReadonlySet<string> = new Set(),
  ) {
    this.topics = pack.topics;
    this.topics.forEach((topic, topicIndex) => {
      const add = (text: string, weight: number) => {
        const { unigrams, bigrams } = analyser.terms(tokenise(text));
        for (const term of [...unigrams, ...bigrams]) this.post(term, topicIndex, weight);
        return unigrams;
      };
      add(topic.title, fieldWeights.title);
      for (const keyword of topic.keywords ?? []) add(keyword, fieldWeights.keywords);
      add(topic.summary, fieldWeights.summary);
      for (const detail of topic.details ?? []) add(detail, fieldWeights.details);
      for (const action of topic.actions) add(action, fieldWeights.actions);
      for (const name of referenceNames(pack, topic)) add(name, fieldWeights.references);
      // The wordings of a topic's specific questions are phrasings too, marked so the question can be answered precisely.
      const wordings: Array<[string, number | undefined]> = [
        ...[topic.title, ...topic.phrasings, ...(topic.keywords ?? [])].map((text): [string, undefined] => [text, undefined]),
        ...(topic.questions ?? []).flatMap((question, index) => question.asks.map((text): [string, number] => [text, index])),
      ];
      for (const [phrasing, questionIndex] of wordings) {
        const unigrams = add(phrasing, fieldWeights.phrasings);
        if (unigrams.length === 0) continue;
        const indexed: IndexedPhrasing = { topicIndex, text: phrasing, terms: new Set(unigrams), weight: 0 };
        if (questionIndex !== undefined) indexed.questionIndex = questionIndex;
        const phrasingIndex = this.phrasings.push(indexed) - 1;
        for (const term of new Set(unigrams)) {
          const list = this.phrasingPostings.get(term);
          if (list) list.push(phrasingIndex);
          else this.phrasingPostings.set(term, [phrasingIndex]);
        }
      }
    });
    const topicCount = this.topics.length;
    for (const [term, byTopic] of this.postings) {
      let spread = 0;
      for (const weight of byTopic.values()) spread += weight;
      // An everyday English word ("sure", "morning", "abuse") says less than a word of the field
      // ("sextortion", "LADO"); bigrams are phrases and keep their full weight.
      const rarity = Math.log(1 + topicCount / (0.5 + spread));
      this.inverseFrequency.set(term, rarity);
      const everyday = !term.includes('_') && this.everydayWords.has(term);
      this.termWeight.set(term, rarity * (everyday ? everydayWordFactor : 1));
    }
    for (const phrasing of this.phrasings) phrasing.weight = this.sumWeights(phrasing.terms);
    for (const [term, byTopic] of this.postings) {
      this.compiled.set(term, {
        weight: this.termWeight.get(term)!,
        rarity: this.inverseFrequency.get(term)!,
        topics: Int32Array.from(byTopic.keys()),
        fieldWeights: Float64Array.from(byTopic.values()),
      });
    }
    const topics = this.topics.length;
    this.scratch = {
      evidence: new Float64Array(topics),
      unigramEvidence: new Float64Array(topics),
      shared: new Int32Array(topics),
      strong: new Int32Array(topics),
      sharedJargon: new Int32Array(topics),
      seen: new Uint8Array(topics),
      touched: [],
      sharedByPhrasing: new Float64Array(this.phrasings.length),
      phrasingSeen: new Uint8Array(this.phrasings.length),
      touchedPhrasings: [],
    };
  }

  /**
   * Topics sharing at least one term with the question, best first. `jargonTokens` are the
   * question's words that are not everyday English ("sextorted", "lado"): shared with a topic, they
   * tie the question to the field however it is put.
   */
  rank(tokens: readonly string[], limit = 5, jargonTokens: readonly string[] = [], comparePhrasings = true): TopicMatch[] {
    const matches: TopicMatch[] = [];
    this.scoreTopics(tokens, jargonTokens, comparePhrasings, (scored) => {
      // Built field by field, not spread: rank() runs for every sentence of an account, and spreads cost garbage.
      const match: TopicMatch = {
        topic: this.topics[scored.topicIndex]!,
        coverage: scored.coverage,
        phrasingSimilarity: scored.phrasingSimilarity,
        evidence: scored.evidence,
        score: scored.score,
        sharedWords: scored.sharedWords,
        titleOrKeywordWords: scored.titleOrKeywordWords,
        jargonWords: scored.jargonWords,
        unrelatedWords: scored.unrelatedWords,
      };
      const { near } = scored;
      if (near) match.closestPhrasing = this.phrasings[near.phrasing]!.text;
      if (near?.question) match.closestQuestion = near.question;
      matches.push(match);
    });
    matches.sort((a, b) => b.score - a.score || b.evidence - a.evidence || a.topic.id.localeCompare(b.topic.id));
    return matches.slice(0, limit);
  }

  /**
   * Scores every topic sharing at least one term with the question and hands each to `visit`, in no
   * particular order. The scored object is reused from one topic to the next: copy what you keep.
   */
  private scoreTopics(
    tokens: readonly string[],
    jargonTokens: readonly string[],
    comparePhrasings: boolean,
    visit: (scored: Readonly<ScoredTopic>) => void,
  ): void {
    const { unigrams, bigrams } = this.analyser.terms(tokens);
    const questionTerms = new Set(unigrams);
    if (questionTerms.size === 0) return;
    const jargon = new Set(jargonTokens.length > 0 ? this.analyser.terms(jargonTokens).unigrams : []);
    let questionWeight = 0;
    for (const term of questionTerms) questionWeight += this.weightOf(term);

    const { evidence, unigramEvidence, shared, strong, sharedJargon, seen, touched } = this.scratch;
    const credit = (term: string, isUnigram: boolean) => {
      const found = this.compiled.get(term);
      if (!found) return;
      const { weight, rarity, topics, fieldWeights: fields } = found;
      const telling = rarity >= tellingWordFrequency || jargon.has(term);
      const isJargon = jargon.has(term);
      for (let index = 0; index < topics.length; index++) {
        const topicIndex = topics[index]!;
        const fieldWeight = fields[index]!;
        if (!seen[topicIndex]) {
          seen[topicIndex] = 1;
          touched.push(topicIndex);
        }
        evidence[topicIndex]! += weight * fieldWeight;
        if (!isUnigram) continue;
        unigramEvidence[topicIndex]! += weight * fieldWeight;
        if (!telling) continue;
        if (fieldWeight > fieldWeights.actions) {
          shared[topicIndex]!++;
          if (isJargon) sharedJargon[topicIndex]!++;
        }
        if (fieldWeight >= fieldWeights.title) strong[topicIndex]!++;
      }
    };
    for (const term of questionTerms) credit(term, true);
    for (const term of new Set(bigrams)) credit(term, false);
    let unrelatedWords = 0;
    for (const term of questionTerms) if (!this.inverseFrequency.has(term) && this.everydayWords.has(term)) unrelatedWords++;

    const closest = comparePhrasings ? this.closestPhrasings(questionTerms, questionWeight) : undefined;
    const scored: ScoredTopic = {
      topicIndex: 0,
      coverage: 0,
      phrasingSimilarity: 0,
      evidence: 0,
      score: 0,
      sharedWords: 0,
      titleOrKeywordWords: 0,
      jargonWords: 0,
      unrelatedWords,
      near: undefined,
    };
    for (const topicIndex of touched) {
      const coverage = Math.min(1, unigramEvidence[topicIndex]! / questionWeight);
      const near = closest?.get(topicIndex);
      const phrasingSimilarity = near?.similarity ?? 0;
      scored.topicIndex = topicIndex;
      scored.coverage = coverage;
      scored.phrasingSimilarity = phrasingSimilarity;
      scored.evidence = evidence[topicIndex]!;
      scored.score = 0.5 * coverage + 0.5 * phrasingSimilarity;
      scored.sharedWords = shared[topicIndex]!;
      scored.titleOrKeywordWords = strong[topicIndex]!;
      scored.jargonWords = sharedJargon[topicIndex]!;
      scored.near = near;
      visit(scored);
      evidence[topicIndex] = 0;
      unigramEvidence[topicIndex] = 0;
      shared[topicIndex] = 0;
      strong[topicIndex] = 0;
      sharedJargon[topicIndex] = 0;
      seen[topicIndex] = 0;
    }
    touched.length = 0;
  }

  /**
   * Topics for a whole account, best first. Each sentence is ranked on its own (a sentence reads
   * like the short questions the phrasings are), and a topic's score is the average of its sentence
   * scores weighted by how much of the field's vocabulary each sentence carries: the sentences
   * about the concern outweigh the background ("I'm a school nurse covering three secondaries…")
   * and the small talk around it. Shared-word counts, which decide whether the bot has enough to go
   * on, are those of the whole message.
   */
  rankAccount(sentences: readonly AccountSentence[], limit: number, jargonOf: (tokens: readonly string[]) => string[]): TopicMatch[] {
    const all = sentences.flatMap((sentence) => sentence.tokens);
    // The whole message gives the shared-word counts; comparing it with phrasings would cost much and say little.
    const whole = new Map(this.rank(all, this.topics.length, jargonOf(all), false).map((match) => [match.topic.id, match]));
    // Only the sentences carrying the most of the field's vocabulary are ranked: they decide the average, and a
    // pasted page of a hundred sentences then costs no more than a long account.
    const heaviest = sentences
      .map((sentence) => ({ tokens: sentence.tokens, mass: this.fieldMass(sentence.tokens, jargonOf(sentence.tokens)) * sentence.weight }))
      .filter((sentence) => sentence.mass > 0)
      .sort((a, b) => b.mass - a.mass)
      .slice(0, accountSentencesRanked);
    // Per topic (by index): the mass-weighted sum of its sentence scores, and the sentence closest to one of its
    // phrasings and to one of its specific questions. Arrays, not objects per sentence: a long account has many.
    const topicCount = this.topics.length;
    const weighted = new Float64Array(topicCount);
    const scoredIn = new Uint8Array(topicCount);
    const nearestSimilarity = new Float64Array(topicCount);
    const nearestPhrasing = new Int32Array(topicCount).fill(-1);
    const nearestQuestion: Array<{ index: number; similarity: number } | undefined> = new Array(topicCount);
    let totalMass = 0;
    for (const { tokens, mass } of heaviest) {
      totalMass += mass;
      this.scoreTopics(tokens, jargonOf(tokens), true, (scored) => {
        const { topicIndex, near } = scored;
        scoredIn[topicIndex] = 1;
        weighted[topicIndex]! += scored.score * mass;
        if (scored.phrasingSimilarity > nearestSimilarity[topicIndex]!) {
          nearestSimilarity[topicIndex] = scored.phrasingSimilarity;
          nearestPhrasing[topicIndex] = near ? near.phrasing : -1;
        }
        if (near?.question && near.question.similarity > (nearestQuestion[topicIndex]?.similarity ?? 0))
          nearestQuestion[topicIndex] = near.question;
      });
    }
    if (totalMass === 0) return [...whole.values()].slice(0, limit);
    const matches: TopicMatch[] = [];
    for (let topicIndex = 0; topicIndex < topicCount; topicIndex++) {
      if (!scoredIn[topicIndex]) continue;
      const overall = whole.get(this.topics[topicIndex]!.id);
      if (!overall) continue;
      const match: TopicMatch = {
        ...overall,
        phrasingSimilarity: nearestSimilarity[topicIndex]!,
        score: weighted[topicIndex]! / totalMass,
      };
      const phrasing = nearestPhrasing[topicIndex]!;
      if (phrasing >= 0) match.closestPhrasing = this.phrasings[phrasing]!.text;
      const question = nearestQuestion[topicIndex];
      if (question) match.closestQuestion = question;
      matches.push(match);
    }
    matches.sort((a, b) => b.score - a.score || b.evidence - a.evidence || a.topic.id.localeCompare(b.topic.id));
    return matches.slice(0, limit);
  }

  /** How much of the field's vocabulary some words carry: the weights of their telling words the pack uses. */
  private fieldMass(tokens: readonly string[], jargonTokens: readonly string[]): number {
    const jargon = new Set(jargonTokens.length > 0 ? this.analyser.terms(jargonTokens).unigrams : []);
    let mass = 0;
    for (const term of new Set(this.analyser.unigrams(tokens))) {
      const rarity = this.inverseFrequency.get(term);
      if (rarity === undefined || (rarity < tellingWordFrequency && !jargon.has(term))) continue;
      mass += this.termWeight.get(term) ?? 0;
    }
    return mass;
  }

  /** Does the index know this word (in any field of any topic)? */
  knowsWord(word: string): boolean {
    const [term] = this.analyser.unigrams([word]);
    return term !== undefined && this.postings.has(term);
  }

  /** Every term the index knows, for the spelling corrector's vocabulary. */
  knownTerms(): Iterable<string> {
    return this.postings.keys();
  }

  /** For each topic, the similarity (Dice, weighted) of its phrasing closest to the question, and of its closest specific question. */
  private closestPhrasings(questionTerms: ReadonlySet<string>, questionWeight: number): Map<number, Closest> {
    const { sharedByPhrasing, phrasingSeen, touchedPhrasings } = this.scratch;
    for (const term of questionTerms) {
      const weight = this.termWeight.get(term);
      const list = this.phrasingPostings.get(term);
      if (weight === undefined || !list) continue;
      for (const phrasingIndex of list) {
        if (!phrasingSeen[phrasingIndex]) {
          phrasingSeen[phrasingIndex] = 1;
          touchedPhrasings.push(phrasingIndex);
        }
        sharedByPhrasing[phrasingIndex]! += weight;
      }
    }
    const best = new Map<number, Closest>();
    for (const phrasingIndex of touchedPhrasings) {
      const shared = sharedByPhrasing[phrasingIndex]!;
      sharedByPhrasing[phrasingIndex] = 0;
      phrasingSeen[phrasingIndex] = 0;
      const phrasing = this.phrasings[phrasingIndex]!;
      const dice = (2 * shared) / (questionWeight + phrasing.weight);
      let closest = best.get(phrasing.topicIndex);
      if (!closest) {
        closest = { similarity: 0, phrasing: phrasingIndex };
        best.set(phrasing.topicIndex, closest);
      }
      if (dice > closest.similarity) {
        closest.similarity = dice;
        closest.phrasing = phrasingIndex;
      }
      if (phrasing.questionIndex !== undefined && dice > (closest.question?.similarity ?? 0))
        closest.question = { index: phrasing.questionIndex, similarity: dice };
    }
    touchedPhrasings.length = 0;
    return best;
  }

  private sumWeights(terms: Iterable<string>): number {
    let total = 0;
    for (const term of terms) total += this.weightOf(term);
    return total;
  }

  private weightOf(term: string): number {
    const known = this.termWeight.get(term);
    if (known !== undefined) return known;
    return this.everydayWords.has(term) ? unknownEverydayWordWeight : unknownOtherWordWeight;
  }

  private post(term: string, topicIndex: number, weight: number): void {
    let byTopic = this.postings.get(term);
    if (!byTopic) {
      byTopic = new Map();
      this.postings.set(term, byTopic);
    }
    if ((byTopic.get(topicIndex) ?? 0) < weight) byTopic.set(topicIndex, weight);
  }
}

function referenceNames(pack: KnowledgePack, topic: Topic): string[] {
  return [
    ...(topic.procedures ?? []).map((id) => pack.procedures.get(id)?.name ?? ''),
    ...(topic.reportingRoutes ?? []).map((id) => pack.reportingRoutes.get(id)?.name ?? ''),
    ...(topic.resources ?? []).map((id) => pack.resources.get(id)?.name ?? ''),
    ...(topic.contacts ?? []).map((id) => pack.contacts.get(id)?.name ?? ''),
  ].filter(Boolean);
}
