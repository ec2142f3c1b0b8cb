import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Request, Response, Server } from 'restify';
import type { Platform } from '../conversation/platform.js';
import type { Answer } from '../engine/index.js';

/** The risk bands an answer can carry; the engine is gaining `risk`, older answers say only `emergency`. */
export type RiskBand = 'emergency' | 'possible' | 'none';

export function riskBand(answer: Answer): RiskBand {
  return (answer as Answer & { risk?: RiskBand }).risk ?? (answer.emergency ? 'emergency' : 'none');
}

/**
 * What the bot counts for GET /metrics (Prometheus text). Labels come from small fixed sets (route
 * patterns, status codes, platforms, kinds of answer, risk bands, store operations): never message
 * text, user ids or anything else a request carries.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly answers: Counter<'platform' | 'kind' | 'risk'>;
  private readonly answerSeconds: Histogram<'platform'>;
  private readonly storeErrors: Counter<'store' | 'operation'>;
  private readonly leadRequests: Counter<'platform' | 'event'>;

  constructor() {
    // Process and Node.js figures: CPU, memory, event-loop lag, garbage collection, open handles.
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'safeguarding_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers: [this.registry],
    });
    this.answers = new Counter({
      name: 'safeguarding_answers_total',
      help: 'Questions answered (typed, or asked by a topic button), by platform, kind of answer and risk band.',
      labelNames: ['platform', 'kind', 'risk'],
      registers: [this.registry],
    });
    this.answerSeconds = new Histogram({
      name: 'safeguarding_answer_duration_seconds',
      help: 'Time to decide an answer (area lookup, engine, records), by platform; delivery to the platform not included.',
      labelNames: ['platform'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.storeErrors = new Counter({
      name: 'safeguarding_store_errors_total',
      help: 'Record store calls that failed (the user still got the answer), by store and operation.',
      labelNames: ['store', 'operation'],
      registers: [this.registry],
    });
    this.leadRequests = new Counter({
      name: 'safeguarding_lead_requests_total',
      help: 'Requests to a safeguarding lead, by platform and event (asked, taken, closed, reposted, refused, failed).',
      labelNames: ['platform', 'event'],
      registers: [this.registry],
    });
  }

  /** Counts every response the server sends, by the route's pattern (never the path as requested). */
  countRequests(server: Server): void {
    server.pre((request: Request, response: Response, next) => {
      response.once('finish', () => {
        const route = request.getRoute?.();
        this.requests.inc({
          route: route ? String(route.path) : 'unmatched',
          method: request.method ?? 'OTHER',
          status: String(response.statusCode),
        });
      });
      return next();
    });
  }

  answered(answer: Answer, platform: Platform, seconds: number): void {
    this.answers.inc({ platform, kind: answer.kind, risk: riskBand(answer) });
    this.answerSeconds.observe({ platform }, seconds);
  }

  leadRequest(platform: Platform, event: string): void {
    this.leadRequests.inc({ platform, event });
  }

  storeFailed(store: string, operation: string): void {
    this.storeErrors.inc({ store, operation });
  }
}
