import type { HTTPReceiver } from '@slack/bolt';
import type { Request, Response, Server } from 'restify';

/**
 * POST /slack/events: Slack events, slash commands and button presses, handed to Bolt with the
 * body unread, because Bolt checks the request signature over the raw bytes.
 */
export function registerSlackRoute(server: Server, receiver: HTTPReceiver): void {
  server.post('/slack/events', async (request: Request, response: Response) => {
    await new Promise<void>((resolve) => {
      response.once('finish', resolve);
      response.once('close', resolve);
      receiver.requestListener(request, response);
    });
  });
}
