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
  ) {}

  async welcome(turn?: TurnContext): Promise<Reply> {
    const context = turn ? await this.contextFor(turn) : { now: this.clock() };
    return {
      card: 'welcome',
      answer: this.engine.help(context),
      privacyWarning: false,
      showFeedback: false,
      ...(context.area ? { currentArea: context.area } : {}),
    };
  }

  async text(text: string, turn: TurnContext): Promise<Reply> {
    const privacyWarning = turn.shared && this.engine.checkPrivacy(text).containsPersonalDetails;
    const context = await this.contextFor(turn);
    const answer = this.engine.answer(text, context);
    await this.records.question(answer, turn.platform, () => this.engine.redact(text));
    this.logAnswer(answer, turn, privacyWarning ? 'text-with-personal-details' : 'text');
    if (answer.startsTriage) return { ...(await this.triage({}, turn, context)), privacyWarning };
    if (answer.kind === 'help') return { ...(await this.welcome(turn)), privacyWarning };
    return this.answerReply(answer, turn, context, privacyWarning);
  }

  /** Files and images are never opened; the reply explains why and where to turn instead. */
  async attachments(turn: TurnContext): Promise<Reply> {
    const context = await this.contextFor(turn);
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

  private async runAction(action: CardAction, turn: TurnContext): Promise<Reply> {
    switch (action.action) {
      case 'help':
        return this.welcome(turn);
      case 'topic': {
        const context = await this.contextFor(turn);
        const answer = this.engine.answerTopic(action.topicId, context);
        if (!answer) return this.unknownAction(turn);
        await this.records.question(answer, turn.platform, () => '');
        this.logAnswer(answer, turn, 'button');
        return this.answerReply(answer, turn, context, false);
      }
      case 'feedback': {
        if (!this.engine.pack.topicsById.has(action.topicId)) return this.unknownAction(turn);
        await this.records.feedback(action.topicId, action.verdict, turn.platform);
        this.logger.info({ event: 'feedback', platform: turn.platform, topicId: action.topicId, verdict: action.verdict }, 'feedback');
        return this.notice(
          'Thank you for your feedback',
          action.verdict === 'helpful'
            ? 'Glad that helped. Your feedback tells the safeguarding leads which answers work.'
            : 'Sorry it did not help. Your feedback tells the safeguarding leads which answers to improve. Try asking in other words, or talk to your designated safeguarding lead or the consultation line for your area.',
          turn,
        );
      }
      case 'triage':
        return this.triage(action.state, turn);
      case 'area': {
        if (!turn.userId) return this.unknownAction(turn);
        await this.records.setArea(turn.userId, turn.platform, action.area);
        this.logger.info({ event: 'area-chosen', platform: turn.platform, area: action.area }, 'area chosen');
        return {
          ...(await this.notice(
            `Thanks: you work in ${areaNames[action.area]}`,
            `I'll show the ${action.area === 'derby-city' ? "Derby City Children's Services Professional Consultation Line" : 'Starting Point consultation service (Derbyshire)'} first. You can change this from help at any time.`,
            turn,
          )),
          currentArea: action.area,
        };
      }
    }
  }

  private async triage(state: Parameters<Engine['triage']>[0], turn: TurnContext, known?: AnswerContext): Promise<Reply> {
    const context = known ?? (await this.contextFor(turn));
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
    return {
      card: 'answer',
      answer,
      privacyWarning,
      showFeedback: (answer.kind === 'answer' || answer.kind === 'emergency') && answer.topicId !== null,
      askArea: mentionsConsultationLine && !context.area && Boolean(turn.userId),
    };
  }

  private async contextFor(turn: TurnContext): Promise<AnswerContext> {
    const area = turn.userId ? await this.records.getArea(turn.userId, turn.platform) : undefined;
    return { now: this.clock(), ...(area ? { area } : {}) };
  }

  private unknownAction(turn: TurnContext): Promise<Reply> {
    this.logger.warn({ event: 'unknown-card-action', platform: turn.platform }, 'a button payload was not recognised');
    return this.notice(
      'Sorry, I could not use that button',
      'It may be from an older version of this card. Please ask your question again in your own words, or type "help".',
      turn,
    );
  }

  private async notice(title: string, text: string, turn: TurnContext): Promise<Reply> {
    const base = this.engine.safety(await this.contextFor(turn));
    return {
      card: 'notice',
      answer: { ...base, title, summary: text, actions: [] },
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
