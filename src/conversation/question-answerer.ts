import type { Answer, AnswerContext } from '../engine/index.js';

/**
 * Whatever answers typed questions for the conversation, when it is not the engine on this thread
 * (the engine thread, src/engine-thread). It must always resolve with an answer.
 */
export interface QuestionAnswerer {
  answer(question: string, context: AnswerContext): Promise<Answer>;
}
