import type { Server } from 'restify';

export interface HealthInfo {
  botVersion: string;
  knowledgePackVersion: string;
  sourceVersion: string;
  sourceLastUpdated: string;
}

/** GET /healthz: is the bot up, and which bot and knowledge pack is it running. */
export function registerHealthRoute(server: Server, info: HealthInfo): void {
  server.get('/healthz', (_request, response, next) => {
    response.send(200, {
      status: 'ok',
      bot: info.botVersion,
      knowledgePack: info.knowledgePackVersion,
      procedure: { version: info.sourceVersion, lastUpdated: info.sourceLastUpdated },
    });
    return next();
  });
}
