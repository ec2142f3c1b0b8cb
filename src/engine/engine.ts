import type { KnowledgePack } from '../knowledge/pack-types.js';
import { AccountReader, type AccountSentence } from './account-reader.js';
import { AnswerBuilder } from './answer-builder.js';
import type { Answer, AnswerContext, ScoredTopicLink } from './answer-model.js';
import { loadEnglishWords, loadEverydayStems } from './english-words.js';
import { ImmediateRiskDetector } from './immediate-risk-detector.js';
import { normaliseInput } from './input-normaliser.js';
import { PrivacyCheck, type PrivacyFinding } from './privacy-check.js';
import { type RiskAssessment, RiskAssessor } from './risk/risk-assessor.js';
import { RiskModel } from './risk/risk-model.js';
import { SmallTalkDetector } from './small-talk-detector.js';
import { SpellingCorrector } from './spelling-corrector.js';
import { SynonymRewriter } from './synonym-rewriter.js';
import { TermAnalyser } from './term-analyser.js';
import { tokenise } from './text-normaliser.js';
import { type TopicMatch, TopicMatcher } from './topic-matcher.js';
import { type RankerInput, rankerInput, TopicRanker } from './topic-ranker.js';
import { Triage, type TriageState, type TriageView } from './triage.js';
import { buildVocabulary } from './vocabulary.js';

/**
 * Question length limits. The immediate-risk check reads far more than topic matching, so a
 * danger mentioned late in a long message is still seen, while matching stays fast.
 */
const riskScanCharacters = 8000;
/** How much of a message the bot reads (the playground says so beside its input). */
export const messageCharacters = riskScanCharacters;
/** Raw characters looked at before cleaning: enough for invisible characters and entities to be taken out of 8,000. */
const rawCharacters = 4 * riskScanCharacters;
/**
 * A message as the engine reads it: cleaned of invisible characters and entities, cut to what the
 * bot reads, and its words. The risk model's trainer reads its corpus through this too, so training
 * and answering always see the same words.
 */
export function messageWords(question: unknown): { text: string; typed: string[] } {
  const text = typeof question === 'string' ? normaliseInput(question.slice(0, rawCharacters)) : '';
  return { text: text.slice(0, riskScanCharacters), typed: tokenise(text, riskScanCharacters) };
}

/** A topic for an account: the combined score in `score`, and what the matcher and the learned ranker each gave it. */
type RankedTopic = TopicMatch & { matchedScore: number; learned: number };

/** Up to this many words a question is matched as a whole; a longer message is read as an account, sentence by sentence. */
const accountWords = 25;

const immediateRiskTopicId = 'immediate-risk';
const chosenImmediateRisk = 'You chose the guidance on a child at immediate risk of harm.';
const saidDangerNow = 'You said a child is in danger right now.';

/** Confidence thresholds, tuned with `npm run eval`. */
export const thresholds = {
  /** At or above: answer with the best topic. */
  answer: 0.36,
  /**
   * A long account of a situation spreads its words over many topics, so every score is lower; with
   * enough telling words in common, answer from this score (the other candidates still show as
   * "did you mean").
   */
  answerLongQuestion: 0.28,
  /** How many telling words in common make a long question's best topic worth answering with. */
  longQuestionSharedWords: 3,
  /** Below: say plainly that the bot does not know. Between the two: "did you mean". */
  fallback: 0.2,
  /** Alternatives offered must score at least this. */
  alternative: 0.16,
  /** A related topic shown under "call 999" must score at least this. */
  emergencyRelated: 0.2,
  /**
   * "Did you mean" is shown beside an answer only when the bot is unsure: the answer scored below
   * `answer`, or the runner-up came within this share of it.
   */
  unsureRunnerUp: 0.9,
  /** A question at least this similar to one of a topic's phrasings is that phrasing: enough to go on, and no doubt about it. */
  nearPhrasing: 0.85,
  /** An account (read sentence by sentence, so every score is an average) is answered from this score. */
  answerAccount: 0.15,
  /** A related topic shown under "call 999" for an account must score at least this. */
  emergencyRelatedAccount: 0.15,
  /** In an account, a concern's topic scoring at least this share of a service topic's answers instead. */
  concernOverService: 0.6,
};

export interface EngineOptions {
  /** Notes every answer carries, such as a pack past its review date. */
  notices?: readonly string[];
  /** Time source for opening hours; a context's `now` overrides it. */
  clock?: () => Date;
}

export interface Engine {
  readonly pack: KnowledgePack;
  /** Loads what the engine would otherwise load on first use (the English word list), so no user waits for it. */
  warmUp(): void;
  /** The reply to a question in the practitioner's words. Never throws for any string. */
  answer(question: string, context?: AnswerContext): Answer;
  /** Only the immediate-risk judgement of a message (what `answer` decides first). */
  assessRisk(question: string): RiskAssessment;
  /** The answer for a topic picked by id (a button), or undefined for an unknown id. */
  answerTopic(topicId: string, context?: AnswerContext): Answer | undefined;
  /**
   * The emergency card for a practitioner who answered "Yes, now" to "Is a child in danger right
   * now?", with the guidance for the topic they had been shown (an unknown id is ignored).
   */
  dangerNow(topicId: string | undefined, context?: AnswerContext): Answer;
  help(context?: AnswerContext): Answer;
  /** A step of the "I have a concern" triage; undefined for a state the cards could not have produced. */
  triage(state: TriageState, context?: AnswerContext): TriageView | undefined;
  /** 999 and the advice lines: what to show when anything else fails. */
  safety(context?: AnswerContext): Answer;
  /** Does the message look like it holds a child's personal details? */
  checkPrivacy(text: string): PrivacyFinding;
  /** The message with personal details replaced by placeholders. */
  redact(text: string): string;
  /** What the learned topic ranker reads in a message (its trainer reads its corpus through this). */
  rankerInput(question: string): RankerInput;
}

export function createEngine(pack: KnowledgePack, options: EngineOptions = {}): Engine {
  const analyser = new TermAnalyser(new SynonymRewriter(pack.synonyms));
  const matcher = new TopicMatcher(pack, analyser, loadEverydayStems());
  const speller = new SpellingCorrector(buildVocabulary(pack), loadEnglishWords);
  /** Words that are not everyday English ("sextorted", "lado"): shared with a topic, they tie a question to the field. */
  const jargonOf = (tokens: readonly string[]) => tokens.filter((token) => /^[a-z]{3,}$/.test(token) && !speller.isEnglishWord(token));
  const riskDetector = new ImmediateRiskDetector(pack.immediateRiskSignals);
  const risk = new RiskAssessor(riskDetector, pack.riskModel ? new RiskModel(pack.riskModel) : undefined);
  const smallTalk = new SmallTalkDetector(pack.smallTalk);
  const builder = new AnswerBuilder(pack, options.notices);
  const triage = new Triage(pack, builder);
  const privacy = new PrivacyCheck(
    [...pack.contacts.values()].flatMap((contact) => [contact.phone, contact.email].filter((value): value is string => Boolean(value))),
  );
  const packWords = buildVocabulary(pack);
  const accounts = new AccountReader({
    isPackWord: (word) => packWords.has(word) || matcher.knowsWord(word),
    isEnglishWord: (word) => speller.isEnglishWord(word),
    redact: (text) => privacy.redact(text),
  });

  const ranker = pack.topicRanker ? new TopicRanker(pack.topicRanker) : undefined;
  /**
   * The ranker gives the topic enough to answer with it on its own, and the account shares enough
   * with it (inField), or the ranker gives it so much that shared words are not needed.
   */
  const rankerVouches = (match: RankedTopic): boolean => {
    if (!ranker || match.learned < ranker.blend.answerFrom) return false;
    const { aloneUnanchoredFrom } = ranker.blend;
    return inField(match) || (aloneUnanchoredFrom !== undefined && match.learned >= aloneUnanchoredFrom);
  };

  /**
   * Topics for an account: the matcher's, re-ranked with the learned ranker's probability added
   * (when there is a ranker). Each keeps the matcher's explanation (the phrasing that came closest).
   */
  const rankAccount = (sentences: readonly AccountSentence[]): RankedTopic[] => {
    const matched = matcher.rankAccount(sentences, ranker ? pack.topics.length : 5, jargonOf);
    if (!ranker) return matched.map((match) => ({ ...match, matchedScore: match.score, learned: 0 }));
    const learned = ranker.probabilities(rankerInput(sentences, analyser));
    // A long message about something else (a hall booking, a password): the ranker knows only
    // safeguarding topics and would give it one, and the matcher finds loose words in common with
    // many, so only a topic the matcher alone is sure of may answer it.
    if (!learned)
      return matched
        .filter((match) => match.score >= thresholds.answer)
        .slice(0, 5)
        .map((match) => ({ ...match, matchedScore: match.score, learned: 0 }));
    const { weight } = ranker.blend;
    const combined = matched
      .map((match) => {
        const probability = learned.get(match.topic.id) ?? 0;
        return { ...match, matchedScore: match.score, learned: probability, score: Math.min(1, match.score + weight * probability) };
      })
      .sort((a, b) => b.score - a.score || b.evidence - a.evidence || a.topic.id.localeCompare(b.topic.id));
    // The ranker's most likely topic comes first when it gives it enough and the account shares enough
    // with it (inField): the ranker was trained on accounts like this one, the matcher only on the
    // pack's own short phrasings.
    const sure = combined.reduce<RankedTopic | undefined>((top, match) => (match.learned > (top?.learned ?? 0) ? match : top), undefined);
    if (sure && rankerVouches(sure)) return [sure, ...combined.filter((match) => match !== sure)].slice(0, 5);
    return combined.slice(0, 5);
  };

  const clock = options.clock ?? (() => new Date());
  const withTime = (context: AnswerContext): AnswerContext => (context.now ? context : { ...context, now: clock() });

  const toLinks = (matches: TopicMatch[]): ScoredTopicLink[] =>
    matches
      .filter((match) => match.score >= thresholds.alternative)
      .map((match) => ({ id: match.topic.id, title: match.topic.title, score: round(match.score) }));

  const hasContent = (tokens: readonly string[]) => matcher.rank(tokens, 1).length > 0;

  /** The message cleaned of invisible characters and entities, as words, before and after spelling correction. */
  const read = (question: unknown) => {
    const { text, typed } = messageWords(question);
    return { text, typed, corrected: speller.correctAll(typed) };
  };

  /**
   * The whole message as topic matching reads it: personal details out, sentence by sentence,
   * spelling corrected, and without urgency words a negation cancels ("not urgent" does not steer the answer).
   */
  const readForMatching = (text: string): AccountSentence[] =>
    accounts.read(text, (sentence) => riskDetector.withoutNegatedUrgency(speller.correctAll(tokenise(sentence))));

  /** "I don't know" of the right kind: a concern the bot could not match, or a question outside its subject. */
  const unmatched = (choices: ScoredTopicLink[], concern: boolean, context: AnswerContext): Answer =>
    builder.fallback(choices, context, concern ? 'unmatched-concern' : 'off-topic');

  /** The reply once the risk band is known not to be an emergency: a topic, "did you mean", help or "I don't know". */
  const decide = (forMatching: readonly string[], ranked: TopicMatch[], concern: boolean, context: AnswerContext): Answer => {
    const best = ranked[0];

    const chat = smallTalk.read(forMatching);
    if (chat.kinds.length > 0 && !hasContent(chat.remainder)) {
      // "I have a concern", "what should I do", with nothing more specific: the guided triage fits best.
      return chat.kinds.includes('triage') ? { ...builder.help(context), startsTriage: true } : builder.help(context);
    }

    // The closest topic may share only one loose word with the question; a runner-up sharing two telling words fits better.
    const chosen = best && isAnchored(best) ? best : ranked.slice(1, 3).find((match) => match.sharedWords >= 2 && isAnchored(match));
    if (!chosen || chosen.score < thresholds.fallback) return unmatched(toLinks(ranked.slice(0, 3)), concern, context);
    const longQuestion = chosen.sharedWords >= thresholds.longQuestionSharedWords && forMatching.length >= 15;
    const confident = chosen.score >= thresholds.answer;
    if (confident || (longQuestion && chosen.score >= thresholds.answerLongQuestion)) return answerWith(chosen, ranked, confident, context);
    const choices = toLinks(ranked.slice(0, 3));
    if (choices.length >= 2) return builder.clarify(choices, context);
    return unmatched(choices, concern, context);
  };

  /** The reply to a whole account, ranked sentence by sentence. */
  const decideAccount = (forMatching: readonly string[], ranked: RankedTopic[], concern: boolean, context: AnswerContext): Answer => {
    const chat = smallTalk.read(forMatching);
    if (chat.kinds.includes('triage') && !hasContent(chat.remainder)) return { ...builder.help(context), startsTriage: true };
    const best = accountBest(ranked);
    if (best && rankerVouches(best)) return answerWith(best, ranked, true, context);
    const chosen = best && isAnchored(best) ? best : ranked.slice(1, 3).find((match) => match.sharedWords >= 2 && isAnchored(match));
    // The ranker, trained on accounts like this one, may vouch for a topic the matcher alone scores too low.
    const enough = chosen && (chosen.matchedScore >= thresholds.answerAccount || (ranker && chosen.learned >= ranker.blend.answerFrom));
    if (chosen && enough) return answerWith(chosen, ranked, true, context);
    return unmatched(toLinks(ranked.slice(0, 3)), concern, context);
  };

  /** With a ranker, the best combined score answers (it learned when a service asked about is the answer); without, the concern comes first. */
  const accountBest = (ranked: RankedTopic[]): RankedTopic | undefined => (ranker ? ranked[0] : concernFirst(ranked));

  /** An answer from the chosen topic; "did you mean" beside it only when the bot is unsure. */
  const answerWith = (chosen: TopicMatch, ranked: TopicMatch[], confident: boolean, context: AnswerContext): Answer => {
    const others = ranked.filter((match) => match !== chosen).slice(0, 3);
    // A question that is nearly one of the chosen topic's own phrasings is answered with certainty, however close the runner-up.
    const closeRunnerUp =
      chosen.phrasingSimilarity < thresholds.nearPhrasing &&
      others[0] !== undefined &&
      others[0].score >= thresholds.unsureRunnerUp * chosen.score;
    const detail = {
      ...(chosen.closestPhrasing ? { closestPhrasing: chosen.closestPhrasing } : {}),
      ...(chosen.closestQuestion ? { closestQuestion: chosen.closestQuestion } : {}),
    };
    return builder.forTopic(chosen.topic, round(chosen.score), confident && !closeRunnerUp ? [] : toLinks(others), context, detail);
  };

  return {
    pack,

    answer(question, given = {}) {
      const context = withTime(given);
      const { text, typed, corrected } = read(question);
      if (typed.length === 0) return builder.help(context);

      const assessment = risk.assess(typed, corrected);
      const sentences = readForMatching(text);
      const forMatching = sentences.flatMap((sentence) => sentence.tokens);
      const account = forMatching.length > accountWords;
      const rankedAccount = account ? rankAccount(sentences) : undefined;
      const ranked = rankedAccount ?? matcher.rank(forMatching, 5, jargonOf(forMatching));
      const best = rankedAccount ? accountBest(rankedAccount) : ranked[0];

      if (assessment.band === 'emergency') {
        const relatedFrom = account ? thresholds.emergencyRelatedAccount : thresholds.emergencyRelated;
        const related = best && best.score >= relatedFrom ? best.topic : undefined;
        return builder.emergency(related, round(best?.score ?? 1), context, shownReason(assessment.reason, forMatching));
      }
      const concern = assessment.band !== 'none' || smallTalk.mentionsConcern(forMatching) || (best?.sharedWords ?? 0) >= 2;
      const answer = rankedAccount
        ? decideAccount(forMatching, rankedAccount, concern, context)
        : decide(forMatching, ranked, concern, context);
      if (assessment.band !== 'possible' || answer.risk !== 'none') return answer;
      const reason = shownReason(assessment.reason, forMatching);
      return { ...answer, risk: 'possible', ...(reason ? { riskReason: reason } : {}) };
    },

    answerTopic(topicId, given = {}) {
      const context = withTime(given);
      const topic = pack.topicsById.get(topicId);
      if (!topic) return undefined;
      return topic.id === immediateRiskTopicId
        ? builder.emergency(undefined, 1, context, chosenImmediateRisk)
        : builder.forTopic(topic, 1, [], context);
    },

    dangerNow(topicId, given = {}) {
      const topic = topicId ? pack.topicsById.get(topicId) : undefined;
      return builder.emergency(topic, 1, withTime(given), saidDangerNow);
    },

    assessRisk(question) {
      const { typed, corrected } = read(question);
      return risk.assess(typed, corrected);
    },

    warmUp: () => speller.warmUp(),
    help: (context = {}) => builder.help(withTime(context)),
    triage: (state, context = {}) => triage.view(state, withTime(context)),
    safety: (context = {}) => builder.safety(withTime(context)),
    checkPrivacy: (text) => privacy.inspect(normaliseInput(text.slice(0, rawCharacters))),
    redact: (text) => privacy.redact(normaliseInput(text.slice(0, rawCharacters))),
    rankerInput: (question) => rankerInput(readForMatching(read(question).text), analyser),
  };
}

/**
 * In an account that asks about a service ("what time does Starting Point open?") and describes a
 * concern, the concern's topic answers when it comes close: the card shows the number to ring
 * whatever the topic. A service topic still answers an account that is only about the service.
 */
function concernFirst<T extends TopicMatch>(ranked: T[]): T | undefined {
  const best = ranked[0];
  if (!best?.topic.service) return best;
  return (
    ranked
      .slice(1)
      .find((match) => !match.topic.service && match.score >= thresholds.concernOverService * best.score && isAnchored(match)) ?? best
  );
}

/**
 * Enough to go on: the question is nearly one of the topic's phrasings, or shares two telling words
 * with it, or one in its title or keywords, and is not outweighed by everyday words the pack never
 * uses. One incidental word ("change", "password", "staff" in "the printer in the staff room is
 * jammed") is not.
 */
function isAnchored(match: TopicMatch): boolean {
  if (match.phrasingSimilarity >= thresholds.nearPhrasing) return true;
  const shared = match.sharedWords >= 2 || match.titleOrKeywordWords >= 1;
  // Jargon of the field ("sextorted", "LADO") makes the question about safeguarding however it is put.
  const unrelatedAllowed = Math.max(match.sharedWords >= 2 ? 2 * match.sharedWords - 2 : 0, match.jargonWords >= 1 ? 3 : 0);
  return shared && match.unrelatedWords <= unrelatedAllowed;
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/**
 * What raised the band, fit to show on a card: the editor's words for a signal as they are; when
 * the reason quotes the message's own words (the words the learned model weighed most), only those
 * left once personal details were taken out, so a child's name is never repeated back.
 */
function shownReason(reason: string | undefined, wordsWithoutDetails: readonly string[]): string | undefined {
  if (!reason?.includes('"')) return reason;
  const allowed = new Set(wordsWithoutDetails);
  const quoted = [...reason.matchAll(/"([^"]*)"/g)].map((found) => found[1] ?? '');
  const kept = quoted.filter((word) => /^[a-z0-9]+$/.test(word) && allowed.has(word));
  if (kept.length === 0) return 'Words in your message suggest a child may be in danger now.';
  return `These words weighed most: ${kept.map((word) => `"${word}"`).join(', ')}.`;
}

/**
 * Enough for the learned ranker's topic to answer an account: two telling words in common with
 * it, or one in its title or keywords. The ranker knows only safeguarding topics, so it ranks an
 * account about booking a hall too; this keeps such an account "not my subject".
 */
function inField(match: TopicMatch): boolean {
  return match.sharedWords >= 2 || match.titleOrKeywordWords >= 1;
}
