import assert from 'node:assert/strict';

export interface PlaygroundActivity {
  type: string;
  id: string;
  text?: string;
  value?: unknown;
  from?: { role?: string };
  attachments?: Array<{ contentType: string; content: Record<string, unknown> }>;
  channelData?: { playgroundLeads?: boolean; slack?: unknown };
}

/**
 * The playground page's side of the conversation, without a browser: it starts a conversation,
 * reads the server-sent events the page reads, and posts what the page posts.
 */
export class PlaygroundSession {
  readonly events: PlaygroundActivity[] = [];
  conversationId = '';
  leadsChannel = false;
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];

  constructor(private readonly baseUrl: string) {}

  async start(): Promise<void> {
    const created = await fetch(`${this.baseUrl}/playground/conversations`, { method: 'POST' });
    assert.equal(created.status, 201);
    const body = (await created.json()) as { conversationId: string; leadsChannel?: boolean };
    this.conversationId = body.conversationId;
    this.leadsChannel = body.leadsChannel === true;
    const stream = await fetch(`${this.baseUrl}/playground/conversations/${this.conversationId}/events`, { signal: this.abort.signal });
    assert.equal(stream.status, 200);
    void this.read(stream.body!);
  }

  stop(): void {
    this.abort.abort();
  }

  /** Posts as the page does: `as: 'lead'` for a button in the simulated leads' channel. */
  async post(body: { text?: string; value?: unknown; as?: 'lead' }): Promise<Response> {
    return fetch(`${this.baseUrl}/playground/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** The bot's messages in the conversation (not the leads' channel). */
  botMessages(): PlaygroundActivity[] {
    return this.events.filter((event) => event.type === 'message' && event.from?.role !== 'user' && !event.channelData?.playgroundLeads);
  }

  /** Messages and updates in the simulated leads' channel. */
  leadsEvents(): PlaygroundActivity[] {
    return this.events.filter((event) => event.channelData?.playgroundLeads);
  }

  async waitFor(select: () => PlaygroundActivity[], count: number, timeoutMs = 5000): Promise<PlaygroundActivity[]> {
    const deadline = Date.now() + timeoutMs;
    while (select().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} event(s), got ${select().length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return select();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of event.split('\n'))
            if (line.startsWith('data: ')) this.events.push(JSON.parse(line.slice(6)) as PlaygroundActivity);
          for (const wake of this.waiters.splice(0)) wake();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // The stream ends when the session stops or the server does.
    }
  }
}
