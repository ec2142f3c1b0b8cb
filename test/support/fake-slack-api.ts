import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  /** The Web API method (chat.postMessage) or "response_url" for posts to a response URL. */
  api: string;
  body: Record<string, unknown>;
}

/**
 * A loopback stand-in for Slack's Web API (under /api/) and for response_url (under /response/).
 * It records every call and answers as Slack would.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  private server: Server | undefined;
  baseUrl = '';

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      const body = await readBody(request);
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const api = path.startsWith('/api/') ? path.slice('/api/'.length) : path.startsWith('/response/') ? 'response_url' : `GET ${path}`;
      this.calls.push({ method: request.method ?? '', api, body });
      const reply = answers[api] ?? { ok: true };
      // restify in the same process patches ServerResponse; keep writeHead and end separate.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return `${this.baseUrl}/api/`;
  }

  responseUrl(name = 'r1'): string {
    return `${this.baseUrl}/response/${name}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  reset(): void {
    this.calls.length = 0;
  }

  callsTo(api: string): SlackCall[] {
    return this.calls.filter((call) => call.api === api);
  }

  async waitFor(api: string, count = 1, timeoutMs = 5000): Promise<SlackCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsTo(api).length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} call(s) to ${api}; saw ${this.calls.map((call) => call.api).join(', ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.callsTo(api);
  }
}

const answers: Record<string, unknown> = {
  'auth.test': { ok: true, user_id: 'UBOTUSER', bot_id: 'BBOT', team_id: 'T0TEST' },
  'chat.postMessage': { ok: true, ts: '1700000000.000200', channel: 'C0TEST' },
  'chat.postEphemeral': { ok: true, message_ts: '1700000000.000300' },
  'views.publish': { ok: true },
  'conversations.open': { ok: true, channel: { id: 'D0TEST' } },
};

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((request.headers['content-type'] ?? '').includes('application/json')) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { raw: text };
    }
  }
  const form = Object.fromEntries(new URLSearchParams(text));
  for (const key of ['blocks', 'view', 'attachments']) {
    if (typeof form[key] === 'string') {
      try {
        (form as Record<string, unknown>)[key] = JSON.parse(form[key]!);
      } catch {
        // leave as text
      }
    }
  }
  return form;
}
