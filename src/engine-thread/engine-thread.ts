import { Worker } from 'node:worker_threads';
import type { QuestionAnswerer } from '../conversation/question-answerer.js';
import type { Answer, AnswerContext, Engine } from '../engine/index.js';
import { errorSummary } from '../error-summary.js';
import type { Logger } from '../logger.js';
import { rememberAnswerFingerprint } from '../render/answer-fingerprint.js';

export interface QuestionMessage {
  id: number;
  question: string;
  context: AnswerContext;
}

export type ReplyMessage = { id: number; answer: Answer; fingerprint: string } | { id: number; failed: true };

/** Longer than any answer takes (a long account takes a few milliseconds); past it the main thread answers instead. */
const defaultAnswerTimeoutMs = 2000;

export interface EngineThreadOptions {
  /** The knowledge pack's folder, read by the thread as the main thread read it. */
  knowledgeDirectory: string | undefined;
  logger: Logger;
  answerTimeoutMs?: number;
  /** The thread's script (tests use stand-ins that fail); by default engine-thread-worker beside this file. */
  workerFile?: URL;
}

/**
 * Typed questions answered on a thread of their own, so that reading a message (the costliest part
 * of a reply) runs beside the event loop instead of on it: while the thread reads one message the
 * main thread parses, sends and receives for the others. The thread loads the same pack and gives
 * the same answers. Safety first: until it is ready, if it fails, stops or is slow, the main
 * thread's own engine answers, so a question is never left unanswered.
 */
export class EngineThread implements QuestionAnswerer {
  private readonly worker: Worker;
  private ready = false;
  private gone = false;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (answer: Answer) => void; fallBack: () => void; timer: NodeJS.Timeout }>();
  private readonly timeoutMs: number;
  private settleReady: (ready: boolean) => void = () => {};
  private readonly readiness = new Promise<boolean>((resolve) => {
    this.settleReady = resolve;
  });

  constructor(
    private readonly fallback: Engine,
    private readonly options: EngineThreadOptions,
  ) {
    this.timeoutMs = options.answerTimeoutMs ?? defaultAnswerTimeoutMs;
    const file = options.workerFile ?? workerScript();
    const workerData = { knowledgeDirectory: options.knowledgeDirectory };
    this.worker = file.pathname.endsWith('.ts')
      ? // Under tsx (tests, npm run ask) the thread must read TypeScript too, and tsx's loader does not pass to threads by itself.
        new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); });`, {
          eval: true,
          workerData,
        })
      : new Worker(file, { workerData });
    this.worker.on('message', (message: ReplyMessage | { ready: true }) => this.received(message));
    this.worker.on('error', (error) => {
      options.logger.error(
        { event: 'engine-thread-failed', err: errorSummary(error) },
        'the engine thread failed; answering on the main thread',
      );
      this.end();
    });
    this.worker.on('exit', () => this.end());
  }

  /** True once the thread has loaded the pack and until it stops. */
  get running(): boolean {
    return this.ready && !this.gone;
  }

  /** Resolves true once the thread has loaded the pack, false if it stopped first. Questions need not wait: until then they are answered here. */
  whenReady(): Promise<boolean> {
    return this.readiness;
  }

  answer(question: string, context: AnswerContext): Promise<Answer> {
    if (!this.running) return Promise.resolve(this.fallback.answer(question, context));
    const id = this.nextId++;
    return new Promise<Answer>((resolve) => {
      const fallBack = () => {
        this.waiting.delete(id);
        clearTimeout(timer);
        resolve(this.fallback.answer(question, context));
      };
      const timer = setTimeout(() => {
        this.options.logger.warn(
          { event: 'engine-thread-slow', ms: this.timeoutMs },
          'the engine thread was slow; answered on the main thread',
        );
        fallBack();
      }, this.timeoutMs);
      this.waiting.set(id, { resolve, fallBack, timer });
      try {
        this.worker.postMessage({ id, question, context } satisfies QuestionMessage);
      } catch {
        fallBack();
      }
    });
  }

  async stop(): Promise<void> {
    this.end();
    await this.worker.terminate();
  }

  private received(message: ReplyMessage | { ready: true }): void {
    if ('ready' in message) {
      this.ready = true;
      this.settleReady(!this.gone);
      this.options.logger.info({ event: 'engine-thread-ready' }, 'typed questions are answered on the engine thread');
      return;
    }
    const waiting = this.waiting.get(message.id);
    if (!waiting) return;
    if ('failed' in message) {
      waiting.fallBack();
      return;
    }
    this.waiting.delete(message.id);
    clearTimeout(waiting.timer);
    rememberAnswerFingerprint(message.answer, message.fingerprint);
    waiting.resolve(message.answer);
  }

  /** No more questions go to the thread; those it had are answered here. */
  private end(): void {
    this.gone = true;
    this.settleReady(false);
    for (const waiting of [...this.waiting.values()]) waiting.fallBack();
  }
}

/** The compiled worker beside this file in dist/; under tsx (tests, npm run ask) the TypeScript source. */
function workerScript(): URL {
  const typescript = import.meta.url.endsWith('.ts');
  return new URL(typescript ? './engine-thread-worker.ts' : './engine-thread-worker.js', import.meta.url);
}
