import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../clock.js';
import type { Answer, AnswerContext, AnswerKind, Engine, WorkArea } from '../engine/index.js';
import { errorSummary } from '../error-summary.js';
import { type LeadRequestView, platformNames } from '../escalation/lead-request-view.js';
import type { LeadRequests, Presser } from '../escalation/lead-requests.js';
import type { Logger } from '../logger.js';
import { type CardAction, parseCardAction } from './card-action.js';
import type { ConversationRecords } from './conversation-records.js';
import type { Platform } from './platform.js';
import type { QuestionAnswerer } from './question-answerer.js';
import type { Reply } from './reply.js';

export interface TurnContext {
  platform: Platform;
  /** A channel or group chat, where others can read the conversation. */
  shared: boolean;
  /** The platform's id for the user, to remember their area. Never stored as is. */
  userId?: string;
  /** Who this is and where, for "Ask a safeguarding lead" (mentioning the asker, checking a lead's press). */
  presser?: Presser;
}

const attachmentTopicId = 'viewing-nude-images';
const consultationLineIds = new Set(['starting-point', 'derby-city-consultation-line']);
const areaNames: Record<WorkArea, string> = { 'derby-city': 'Derby City', derbyshire: 'Derbyshire' };
/** Replies that offer "Ask a safeguarding lead" (not greetings and help, triage steps or notices). */
const leadOfferKinds = new Set<AnswerKind>(['answer', 'emergency', 'clarify', 'fallback']);

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
    private readonly leads?: LeadRequests,
    /** Names each reply for its buttons (see Reply.ref): random, never derived from the user or the message. */
    // randomUUID draws on a cached pool of entropy: no system call per reply, as randomBytes makes.
    private readonly newRef: () => string = () => randomUUID().replace(/-/g, '').slice(0, 12),
    /** Answers typed questions (the engine thread); by default the engine, here on this thread. */
    private readonly answerer?: QuestionAnswerer,
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
    const answer = this.answerer ? await this.answerer.answer(text, context) : this.engine.answer(text, context);
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

  /** The reply to a button; undefined when there is nothing to say (a lead's press only updates the channel message). */
  async action(value: unknown, turn: TurnContext): Promise<Reply | undefined> {
    const action = parseCardAction(value);
    if (!action) return this.unknownAction(turn);
    return this.runAction(action, turn);
  }

  /** 999 and the consultation lines, for when anything inside the bot fails. */
  failure(): Reply {
    return { card: 'answer', answer: this.engine.safety({ now: this.clock() }), privacyWarning: false, showFeedback: false };
  }

  private async runAction(action: CardAction, turn: TurnContext): Promise<Reply | undefined> {
    switch (action.action) {
      case 'ask-lead':
        return this.askLead(action, turn);
      case 'lead-take':
      case 'lead-done':
        return this.leadAction(action.action, action.request, turn);
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
        // Counted once per person per answer; cards sent before answers carried a reference count as before.
        let first = true;
        if (action.ref && turn.userId)
          first = await this.records.feedbackOnce(
            turn.userId,
            action.ref,
            action.topicId,
            action.verdict,
            action.risk ?? 'none',
            turn.platform,
          );
        else await this.records.feedback(action.topicId, action.verdict, turn.platform);
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
        if (action.ref) await this.records.dangerConfirmed(action.ref, turn.platform);
        const context = await this.contextFor(turn);
        const answer = this.engine.dangerNow(action.topicId, context);
        this.logger.info({ event: 'danger-now', platform: turn.platform, topicId: answer.topicId }, '"Yes, now" pressed');
        return this.answerReply(answer, turn, context, false);
      }
      case 'more': {
        const context = await this.contextFor(turn);
        const answer = this.engine.answerTopic(action.topicId, context);
        if (!answer) return this.unknownAction(turn);
        return { card: 'more', answer, privacyWarning: false, showFeedback: false };
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

  private async answerReply(answer: Answer, turn: TurnContext, context: AnswerContext, privacyWarning: boolean): Promise<Reply> {
    const mentionsConsultationLine = answer.contacts.some((contact) => consultationLineIds.has(contact.id));
    // Not on questions outside the bot's subject: a safeguarding lead is not who to ask about a printer.
    const offerLead =
      Boolean(this.leads?.offeredOn(turn.platform) && turn.presser) && leadOfferKinds.has(answer.kind) && answer.declined !== 'off-topic';
    if (answer.risk === 'possible') await this.records.possibleRisk(turn.platform);
    return {
      card: 'answer',
      answer,
      privacyWarning,
      showFeedback: (answer.kind === 'answer' || answer.kind === 'emergency') && answer.topicId !== null,
      askArea: mentionsConsultationLine && !context.area && Boolean(turn.userId),
      ...(offerLead ? { lead: { step: 'offer' as const, topicId: answer.topicId } } : {}),
      ref: this.newRef(),
    };
  }

  /** "Ask a safeguarding lead": first how soon, then the request is sent and the asker sees exactly what. */
  private async askLead(action: Extract<CardAction, { action: 'ask-lead' }>, turn: TurnContext): Promise<Reply> {
    const { leads } = this;
    if (!leads?.offeredOn(turn.platform) || !turn.presser || !leads.knowsTopic(action.topicId)) return this.unknownAction(turn);
    const topicId = action.topicId ?? null;
    const title = topicId ? this.engine.pack.topicsById.get(topicId)!.title : undefined;
    const privately = { onlyForPresser: true };
    if (!action.urgency) {
      this.logger.info({ event: 'lead-offer-pressed', platform: turn.platform, topicId }, 'ask a safeguarding lead: how soon');
      return {
        ...(await this.notice(
          'Ask a safeguarding lead',
          `I can ask your organisation's safeguarding leads to contact you. I will post in their channel only: your name, so that a lead can contact you; the topic ${title ? `"${title}"` : '(none: I could not match your question to one)'}; how soon you need a lead; that you asked in ${platformNames[turn.platform]}; and the time. Nothing you typed is sent. How soon do you need a safeguarding lead?`,
          turn,
          false,
        )),
        lead: { step: 'urgency', topicId },
        ...privately,
      };
    }
    const result = await leads.ask(turn.platform, turn.presser, topicId, action.urgency);
    switch (result.outcome) {
      case 'sent':
        return {
          ...(await this.notice(
            'Sent to your safeguarding leads',
            "This is exactly what I posted in the safeguarding leads' channel. I'll message you privately when a lead takes it. If a child is at immediate risk of harm, call 999 now.",
            turn,
            false,
          )),
          lead: { step: 'sent', request: result.request },
          ...privately,
        };
      case 'already-asked':
        return {
          ...(await this.notice(
            'You have already asked a safeguarding lead about this',
            "Nothing new was sent. This is your request as it stands in the safeguarding leads' channel. If a child is at immediate risk of harm, call 999 now.",
            turn,
            false,
          )),
          lead: { step: 'sent', request: result.request },
          ...privately,
        };
      case 'unavailable':
        return {
          ...(await this.notice(
            'Sorry, I could not reach your safeguarding leads',
            'Nothing was sent. Please talk to your designated safeguarding lead directly, or call the consultation line for your area. If a child is at immediate risk of harm, call 999 now.',
            turn,
            true,
          )),
          ...privately,
        };
    }
  }

  /** A lead's "I'll take this" or "Done", accepted only from the request's own leads' channel. */
  private async leadAction(kind: 'lead-take' | 'lead-done', requestId: string, turn: TurnContext): Promise<Reply | undefined> {
    const { leads } = this;
    if (!leads?.offeredOn(turn.platform) || !turn.presser) return this.unknownAction(turn);
    const tellAsker = (request: LeadRequestView): Reply => ({
      ...this.noticeReply(
        'A safeguarding lead will contact you',
        'They will contact you directly about your request. If a child is at immediate risk of harm, call 999 now.',
        { now: this.clock() },
        false,
      ),
      lead: { step: 'taken', request },
    });
    let result: Awaited<ReturnType<LeadRequests['take']>>;
    try {
      result =
        kind === 'lead-take'
          ? await leads.take(turn.platform, turn.presser, requestId, tellAsker)
          : await leads.close(turn.platform, turn.presser, requestId);
    } catch (error) {
      this.logger.error({ event: 'lead-action-failed', platform: turn.platform, err: errorSummary(error) }, 'a lead button failed');
      return this.notice(
        'Sorry, that did not work',
        'I could not record that just now. Please try the button again in a minute.',
        turn,
        true,
      );
    }
    if (result.outcome === 'done') {
      if (result.askerTold) return undefined;
      return this.notice(
        'You have taken this request, but I could not tell the practitioner',
        'I could not message them privately. Please contact them yourself: they are named in the request.',
        turn,
      );
    }
    switch (result.reason) {
      case 'not-found':
        return this.notice('This request is no longer kept', 'Requests are deleted 30 days after they are closed.', turn);
      case 'wrong-place':
        return this.notice(
          'Sorry, I could not use that button',
          "A request can be taken or closed only in the safeguarding leads' channel it was posted to.",
          turn,
        );
      case 'already-taken':
        return this.notice('Another lead has already taken this request', 'Its message in the channel shows who.', turn);
      case 'already-closed':
        return this.notice('This request is already closed', 'Its message in the channel shows who closed it.', turn);
      case 'not-taken':
        return this.notice('Take this request first', 'Press "I\'ll take this", then "Done" when it is dealt with.', turn);
    }
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

  private async notice(title: string, text: string, turn: TurnContext, withContacts = false): Promise<Reply> {
    return this.noticeReply(title, text, await this.contextFor(turn), withContacts);
  }

  /**
   * A short note: a title and a line, with the 999 line at its foot. It does not re-post the
   * contacts (999 and the consultation lines) unless asked to, where the note leaves the person
   * with nowhere else to turn.
   */
  private noticeReply(title: string, text: string, context: AnswerContext, withContacts = false): Reply {
    const base = this.engine.safety(context);
    return {
      card: 'notice',
      answer: { ...base, title, summary: text, directAnswer: text, actions: [], ...(withContacts ? {} : { contacts: [], callNow: [] }) },
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
