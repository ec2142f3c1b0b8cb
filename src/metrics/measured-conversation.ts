import type { Clock } from '../clock.js';
import { ConversationHandler, type TurnContext } from '../conversation/conversation-handler.js';
import type { ConversationRecords } from '../conversation/conversation-records.js';
import type { QuestionAnswerer } from '../conversation/question-answerer.js';
import type { Reply } from '../conversation/reply.js';
import type { Engine } from '../engine/index.js';
import type { LeadRequests } from '../escalation/lead-requests.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

/**
 * The conversation handler, counted: each typed question and each topic button is one answer,
 * labelled by its kind and risk band, and timed. Everything else is the handler's own.
 */
export class MeasuredConversationHandler extends ConversationHandler {
  constructor(
    engine: Engine,
    records: ConversationRecords,
    logger: Logger,
    clock: Clock,
    private readonly metrics: Metrics,
    leads?: LeadRequests,
    answerer?: QuestionAnswerer,
  ) {
    super(engine, records, logger, clock, leads, undefined, answerer);
  }

  override async text(text: string, turn: TurnContext): Promise<Reply> {
    const started = performance.now();
    const reply = await super.text(text, turn);
    this.metrics.answered(reply.answer, turn.platform, (performance.now() - started) / 1000);
    return reply;
  }

  override async action(value: unknown, turn: TurnContext): Promise<Reply | undefined> {
    const started = performance.now();
    const reply = await super.action(value, turn);
    // Topic buttons ask a question; feedback, area, help and triage buttons do not.
    if (reply?.card === 'answer') this.metrics.answered(reply.answer, turn.platform, (performance.now() - started) / 1000);
    return reply;
  }
}
