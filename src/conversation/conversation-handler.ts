import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../clock.js';
import type { Answer, AnswerContext, Engine, WorkArea } from '../engine/index.js';
import type { Logger } from '../logger.js';
import { type CardAction, parseCardAction } from './card-action.js';
import type { ConversationRecords } from './conversation-records.js';
import type { Platform } from './platform.js';
import type { Reply } from './reply.js';

export interface TurnContext {
  platform: Platform;
  /** A channel or group chat, where others can read the conversation. */
  shared: boolean;
  /** The platform's id for the user, to remember their area. Never stored as is. */
  userId?: string;
}

const attachmentTopicId = 'viewing-nude-images';
const consultationLineIds = new Set(['starting-point', 'derby-city-consultation-line']);
const areaNames: Record<WorkArea, string> = { 'derby-city': 'Derby City', derbyshire: 'Derbyshire' };

/**
 * Decides the reply to each kind of incoming turn, the same way on every platform. It never
 * stores or logs what the user wrote; logs carry only the kind of answer and the topic id.
 */
export class ConversationHandler {
  constructor(
    private readonly engine: Engine,
    private readonly records: ConversationRecords,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
    /** Names each reply for its buttons (see Reply.ref): random, never derived from the user or the message. */
    private readonly newRef: () => string = () => randomBytes(6).toString('hex'),
  ) {}

  welcome(turn?: TurnContext): Reply {
    const context = turn ? this.contextFor(turn) : { now: this.clock() };
    return {
      card: 'welcome',
      answer: this.engine.help(context),
      privacyWarning: false,
      showFeedback: false,
      ...(context.area ? { currentArea: context.area } : {}),
    };
  }

  text(text: string, turn: TurnContext): Reply {
    const privacyWarning = turn.shared && this.engine.checkPrivacy(text).containsPersonalDetails;
    const context = this.contextFor(turn);
    const answer = this.engine.answer(text, context);
    this.records.question(answer, turn.platform, () => this.engine.redact(text));
    this.logAnswer(answer, turn, privacyWarning ? 'text-with-personal-details' : 'text');
    if (answer.startsTriage) return { ...this.triage({}, turn, context), privacyWarning };
    if (answer.kind === 'help') return { ...this.welcome(turn), privacyWarning };
    return this.answerReply(answer, turn, context, privacyWarning);
  }

  /** Files and images are never opened; the reply explains why and where to turn instead. */
  attachments(turn: TurnContext): Reply {
    const context = this.contextFor(turn);
    const answer = this.engine.answerTopic(attachmentTopicId, context) ?? this.engine.safety(context);
    this.logger.info({ event: 'attachment-refused', platform: turn.platform }, 'attachment not opened');
    return { card: 'attachment-warning', answer, privacyWarning: false, showFeedback: false };
  }

  async action(value: unknown, turn: TurnContext): Promise<Reply> {
    const action = parseCardAction(value);
    if (!action) return this.unknownAction(turn);
    return this.runAction(action, turn);
  }

  /** 999 and the consultation lines, for when anything inside the bot fails. */
  failure(): Reply {
    return { card: 'answer', answer: this.engine.safety({ now: this.clock() }), privacyWarning: false, showFeedback: false };
  }

  private runAction(action: CardAction, turn: TurnContext): Reply {
    switch (action.action) {
      case 'help':
        return this.welcome(turn);
      case 'topic': {
        const context = this.contextFor(turn);
        const answer = this.engine.answerTopic(action.topicId, context);
        if (!answer) return this.unknownAction(turn);
        this.records.question(answer, turn.platform, () => '');
        this.logAnswer(answer, turn, 'button');
        return this.answerReply(answer, turn, context, false);
      }
      case 'feedback': {
        if (!this.engine.pack.topicsById.has(action.topicId)) return this.unknownAction(turn);
        // Counted once per person per answer; cards sent before answers carried a reference count as before.
        let first = true;
        if (action.ref && turn.userId)
          first = this.records.feedbackOnce(turn.userId, action.ref, action.topicId, action.verdict, action.risk ?? 'none', turn.platform);
        else this.records.feedback(action.topicId, action.verdict, turn.platform);
        this.logger.info(
          {
            event: 'feedback',
            platform: turn.platform,
            topicId: action.topicId,
            verdict: action.verdict,
            risk: action.risk ?? 'none',
            first,
          },
          'feedback',
        );
        return this.notice(
          first ? 'Thanks for your feedback' : 'Feedback updated',
          action.verdict === 'helpful' ? 'Glad it helped.' : 'Sorry it did not help. Try other words, or use "I have a concern".',
          turn,
        );
      }
      case 'danger-now': {
        if (action.ref) this.records.dangerConfirmed(action.ref, turn.platform);
        const context = this.contextFor(turn);
        const answer = this.engine.dangerNow(action.topicId, context);
        this.logger.info({ event: 'danger-now', platform: turn.platform, topicId: answer.topicId }, '"Yes, now" pressed');
        return this.answerReply(answer, turn, context, false);
      }
      case 'more': {
        const context = this.contextFor(turn);
        const answer = this.engine.answerTopic(action.topicId, context);
        if (!answer) return this.unknownAction(turn);
        return { card: 'more', answer, privacyWarning: false, showFeedback: false };
      }
      case 'triage':
        return this.triage(action.state, turn);
      case 'area': {
        if (!turn.userId) return this.unknownAction(turn);
        this.records.setArea(turn.userId, turn.platform, action.area);
        this.logger.info({ event: 'area-chosen', platform: turn.platform, area: action.area }, 'area chosen');
        return {
          ...this.notice(
            `Thanks: you work in ${areaNames[action.area]}`,
            `I'll show the ${action.area === 'derby-city' ? "Derby City Children's Services Professional Consultation Line" : 'Starting Point consultation service (Derbyshire)'} first. You can change this from help at any time.`,
            turn,
          ),
          currentArea: action.area,
        };
      }
    }
  }

  private triage(state: Parameters<Engine['triage']>[0], turn: TurnContext, context: AnswerContext = this.contextFor(turn)): Reply {
    const view = this.engine.triage(state, context);
    if (!view) return this.unknownAction(turn);
    if (view.step === 'immediate-risk') this.logger.info({ event: 'triage-started', platform: turn.platform }, 'triage started');
    const answer = view.summary ?? (view.emergencyFirst ? this.engine.answerTopic('immediate-risk', context)! : this.engine.help(context));
    if (view.step === 'summary')
      this.logger.info({ event: 'triage-completed', platform: turn.platform, about: state.a, seriousness: state.l }, 'triage completed');
    return {
      card: 'triage',
      answer,
      triage: view,
      privacyWarning: false,
      showFeedback: false,
      askArea: view.step === 'summary' && !context.area && Boolean(turn.userId),
    };
  }

  private answerReply(answer: Answer, turn: TurnContext, context: AnswerContext, privacyWarning: boolean): Reply {
    const mentionsConsultationLine = answer.contacts.some((contact) => consultationLineIds.has(contact.id));
    if (answer.risk === 'possible') this.records.possibleRisk(turn.platform);
    return {
      card: 'answer',
      answer,
      privacyWarning,
      showFeedback: (answer.kind === 'answer' || answer.kind === 'emergency') && answer.topicId !== null,
      askArea: mentionsConsultationLine && !context.area && Boolean(turn.userId),
      ref: this.newRef(),
    };
  }

  private contextFor(turn: TurnContext): AnswerContext {
    const area = turn.userId ? this.records.getArea(turn.userId, turn.platform) : undefined;
    return { now: this.clock(), ...(area ? { area } : {}) };
  }

  private unknownAction(turn: TurnContext): Reply {
    this.logger.warn({ event: 'unknown-card-action', platform: turn.platform }, 'a button payload was not recognised');
    return this.notice(
      'Sorry, I could not use that button',
      'It may be from an older version of this card. Please ask your question again in your own words, or type "help".',
      turn,
    );
  }

  /** A short note: a title and a line, with the 999 line at its foot; it never re-posts the contacts. */
  private notice(title: string, text: string, turn: TurnContext): Reply {
    const base = this.engine.safety(this.contextFor(turn));
    return {
      card: 'notice',
      answer: { ...base, title, summary: text, directAnswer: text, actions: [], contacts: [], callNow: [] },
      notice: { title, text },
      privacyWarning: false,
      showFeedback: false,
    };
  }

  private logAnswer(answer: Answer, turn: TurnContext, source: string): void {
    this.logger.info(
      { event: 'answered', platform: turn.platform, source, kind: answer.kind, topicId: answer.topicId, score: answer.score },
      'answered',
    );
  }
}
