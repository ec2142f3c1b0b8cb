import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  /** The client's port: requests with the same one came over the same (kept-alive) connection. */
  clientPort: number;
}

/**
 * A loopback stand-in for the Bot Connector service: it records every call the bot makes
 * (replies, typing indicators, and any attempt to fetch a file) and answers like the real one.
 */
export class FakeBotConnector {
  readonly requests: RecordedRequest[] = [];
  /** When set, calls it matches get 503, as a connector in trouble answers (they are still recorded). */
  refuse: ((request: RecordedRequest) => boolean) | undefined;
  /** When set, every answer waits this long first, as a slow connector would. */
  delayMs = 0;
  private server: Server | undefined;
  private waiters: Array<() => void> = [];

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      const body = await readBody(request);
      const recorded = { method: request.method ?? '', path: request.url ?? '', body, clientPort: request.socket.remotePort ?? 0 };
      this.requests.push(recorded);
      for (const wake of this.waiters.splice(0)) wake();
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (this.refuse?.(recorded)) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'refused by the test' } }));
        return;
      }
      // restify, loaded in the same process, patches ServerResponse so writeHead() no longer chains.
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end('not-really-a-png');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(this.answer(recorded)));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  reset(): void {
    this.requests.length = 0;
    this.refuse = undefined;
    this.delayMs = 0;
  }

  /** Messages (not typing indicators) the bot posted. */
  messages(): Array<{ path: string; activity: Record<string, unknown> }> {
    return this.requests
      .filter((request) => request.method === 'POST' && (request.body as { type?: string })?.type === 'message')
      .map((request) => ({ path: request.path, activity: request.body as Record<string, unknown> }));
  }

  /** As the connector answers: a new activity's id, or for a new conversation its id (and its first message's, in a channel). */
  private answer(request: RecordedRequest): Record<string, string> {
    const n = this.requests.length;
    if (request.method !== 'POST' || request.path !== '/v3/conversations') return { id: `reply-${n}` };
    const channel = (request.body as { channelData?: { channel?: { id?: string } } } | undefined)?.channelData?.channel?.id;
    return channel ? { id: `${channel};messageid=${1700000100000 + n}`, activityId: String(1700000100000 + n) } : { id: `a:created-${n}` };
  }

  /** Conversations the bot created (POST /v3/conversations): 1:1 chats it opened, and new threads in a channel with their first message. */
  conversationsCreated(): Array<Record<string, unknown>> {
    return this.requests
      .filter((request) => request.method === 'POST' && request.path === '/v3/conversations')
      .map((request) => request.body as Record<string, unknown>);
  }

  /** Messages the bot replaced (updateActivity: PUT to an activity). */
  updates(): Array<{ path: string; activity: Record<string, unknown> }> {
    return this.requests
      .filter((request) => request.method === 'PUT')
      .map((request) => ({ path: request.path, activity: request.body as Record<string, unknown> }));
  }

  /** Waits until `count` messages have arrived (the bot replies after answering the HTTP call). */
  async waitForMessages(count: number, timeoutMs = 5000): Promise<Array<{ path: string; activity: Record<string, unknown> }>> {
    return this.waitFor(() => this.messages(), 'message(s)', count, timeoutMs);
  }

  /** Waits until `count` updates have arrived. */
  async waitForUpdates(count: number, timeoutMs = 5000): Promise<Array<{ path: string; activity: Record<string, unknown> }>> {
    return this.waitFor(() => this.updates(), 'update(s)', count, timeoutMs);
  }

  private async waitFor<T>(list: () => T[], what: string, count: number, timeoutMs: number): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (list().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} ${what}, got ${list().length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return list();
  }
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
