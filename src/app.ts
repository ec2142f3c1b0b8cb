import { readFileSync } from 'node:fs';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Server } from 'restify';
import { createSlackSide, type SlackSide } from './adapters/slack/slack-app.js';
import { createBotFrameworkAdapter } from './adapters/teams/bot-framework-adapter.js';
import { SafeguardingTeamsBot } from './adapters/teams/teams-bot.js';
import { TeamsLeadsChannel } from './adapters/teams/teams-leads-channel.js';
import { type Clock, systemClock, ukDay } from './clock.js';
import type { Config } from './config.js';
import { type ConversationRecords, noRecords, StoredConversationRecords } from './conversation/conversation-records.js';
import { createEngine, type Engine } from './engine/index.js';
import { EngineThread } from './engine-thread/engine-thread.js';
import { errorSummary } from './error-summary.js';
import { LeadRequests } from './escalation/lead-requests.js';
import { loadKnowledgePack } from './knowledge/load-knowledge-pack.js';
import type { Logger } from './logger.js';
import { MeasuredConversationHandler } from './metrics/measured-conversation.js';
import { MeasuredRecordStore } from './metrics/measured-record-store.js';
import { Metrics } from './metrics/metrics.js';
import { registerPlaygroundAssets } from './playground/playground-assets.js';
import { PlaygroundChannel } from './playground/playground-channel.js';
import { AdaptiveCardRenderer } from './render/adaptive-card/adaptive-card-renderer.js';
import { ConnectionDrain, type InFlight } from './server/connection-drain.js';
import { registerHealthRoute } from './server/health-route.js';
import { createHttpServer, listen } from './server/http-server.js';
import { registerMetricsRoute } from './server/metrics-route.js';
import { registerSlackRoute } from './server/slack-route.js';
import { registerTeamsRoute } from './server/teams-route.js';
import { openRecordStore } from './storage/open-record-store.js';
import type { RecordStore } from './storage/record-store.js';

export const botVersion: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

export interface App {
  engine: Engine;
  server: Server;
  /** Starts listening; resolves with the address actually bound (port 0 picks a free port). */
  start(): Promise<{ port: number; host: string }>;
  /** Stops taking connections, answers every request in flight, closes the connections and the record store. */
  stop(): Promise<void>;
  /** Connections open and requests not yet answered (for the log line when a stop runs out of time). */
  inFlight(): InFlight;
  /**
   * Posts again, once, each request to the safeguarding leads nobody took in time; resolves with
   * how many. A timer runs it every minute; tests run it themselves with a clock of their own.
   */
  repostOverdueLeadRequests(): Promise<number>;
}

export interface AppDependencies {
  logger: Logger;
  /** What the conversation keeps, as a whole (tests pass spies); by default the records in `store`. */
  records?: ConversationRecords;
  /** Where feedback, question counts and area choices go; by default PostgreSQL (DATABASE_URL) or a SQLite file under DATA_DIR. */
  store?: RecordStore;
  clock?: Clock;
  /** Token validation (tests stand in for Microsoft's); by default the SDK's, from the Teams settings. */
  botFrameworkAuthentication?: BotFrameworkAuthentication;
  /** An engine built elsewhere (tests use one that fails on purpose); by default it is built from the pack. */
  engine?: Engine;
}

function loadEngine(config: Config, logger: Logger): Engine {
  const { pack, warnings } = loadKnowledgePack(config.knowledgeDirectory);
  for (const warning of warnings) logger.warn({ event: 'knowledge-pack-review-due' }, warning);
  return createEngine(pack, { notices: warnings });
}

/**
 * Wires the engine, the record store, the platform adapters and the HTTP routes from checked
 * configuration. Rejects with a StartupError (one line naming the setting) when the configured
 * database cannot be reached, and with a KnowledgePackError for a broken pack.
 */
export async function buildApp(config: Config, dependencies: AppDependencies): Promise<App> {
  const { logger } = dependencies;
  const engine = dependencies.engine ?? loadEngine(config, logger);
  const { pack } = engine;

  const clock = dependencies.clock ?? systemClock;
  const metrics = new Metrics();
  const openedStore = dependencies.records ? undefined : (dependencies.store ?? (await openRecordStore(config, logger)));
  const store = openedStore ? new MeasuredRecordStore(openedStore, metrics) : undefined;
  const records =
    dependencies.records ??
    (store
      ? new StoredConversationRecords(store, clock, logger, {
          recordUnanswered: config.recordUnanswered,
          // Several instances share PostgreSQL: a report run at any moment must count every answer already given,
          // and another instance may record a new area choice, so each message reads it afresh.
          ...(store.kind === 'postgres' ? { questionCountDelayMs: 0, cacheAreas: false } : {}),
        })
      : noRecords);
  const pruneUnanswered = async () => {
    try {
      await store?.pruneExpired(ukDay(clock()));
    } catch (error) {
      logger.error({ event: 'prune-failed', err: errorSummary(error) }, 'could not remove expired records');
    }
  };
  // "Ask a safeguarding lead" needs somewhere to keep requests; with no store (or no leads' channel set) it is off.
  const leads =
    config.escalation && store
      ? new LeadRequests({
          settings: config.escalation,
          store,
          engine,
          clock,
          logger,
          count: (platform, event) => metrics.leadRequest(platform, event),
        })
      : undefined;
  if (config.escalation && !store)
    logger.warn({ event: 'lead-requests-off' }, 'Ask a safeguarding lead is off: the record store could not be opened.');
  // An engine passed in (tests) answers on this thread; the pack's engine also runs on a thread of its own when asked.
  const engineThread =
    config.engineThread && !dependencies.engine
      ? new EngineThread(engine, { knowledgeDirectory: config.knowledgeDirectory, logger })
      : undefined;
  const conversation = new MeasuredConversationHandler(engine, records, logger, clock, metrics, leads, engineThread);
  const cards = new AdaptiveCardRenderer(undefined, config.procedureUrl);
  let teamsBot: SafeguardingTeamsBot | undefined;
  const adapter = createBotFrameworkAdapter(
    config.teams,
    logger,
    { safetyActivity: () => teamsBot!.safetyActivity() },
    {
      connectorTimeoutMs: config.connectorTimeoutMs,
      ...(dependencies.botFrameworkAuthentication ? { authentication: dependencies.botFrameworkAuthentication } : {}),
    },
  );
  const teamsLeads =
    leads && store && config.escalation?.teamsChannel
      ? new TeamsLeadsChannel(config.escalation.teamsChannel, adapter, config.teams.appId ?? '', store, cards, clock, logger)
      : undefined;
  if (teamsLeads) leads!.connect('teams', teamsLeads);
  teamsBot = new SafeguardingTeamsBot(conversation, cards, teamsLeads ? { channel: teamsLeads, logger } : undefined);

  const server = createHttpServer(logger);
  const drain = new ConnectionDrain(server.server);
  metrics.countRequests(server);
  if (config.metrics.enabled) registerMetricsRoute(server, metrics, config.metrics.token);
  registerHealthRoute(server, {
    botVersion,
    knowledgePackVersion: pack.identity.packVersion,
    sourceVersion: pack.identity.source.version,
    sourceLastUpdated: pack.identity.source.lastUpdated,
  });
  registerTeamsRoute(server, adapter, teamsBot, logger, { requireToken: !config.localMode });

  const playground = config.playground ? new PlaygroundChannel(conversation, cards, logger, leads) : undefined;
  if (playground) {
    playground.registerRoutes(server);
    registerPlaygroundAssets(server);
  }

  const slackLeadsChannel = config.escalation?.slackChannel;
  const slack: SlackSide | undefined = config.slack
    ? createSlackSide(
        config.slack,
        conversation,
        engine,
        logger,
        leads && slackLeadsChannel ? { requests: leads, channelId: slackLeadsChannel } : undefined,
      )
    : undefined;
  if (slack?.receiver) registerSlackRoute(server, slack.receiver);

  let pruneTimer: NodeJS.Timeout | undefined;
  let leadTimer: NodeJS.Timeout | undefined;
  let reposting: Promise<number> | undefined;
  const repostOverdue = () => {
    // One run at a time; a stop waits for the one under way.
    reposting ??= (leads?.repostOverdue() ?? Promise.resolve(0)).finally(() => {
      reposting = undefined;
    });
    return reposting;
  };
  let stopped: Promise<void> | undefined;
  return {
    engine,
    server,
    async start() {
      await pruneUnanswered();
      // Load the spelling dictionary now rather than on the first user's question.
      setImmediate(() => engine.warmUp());
      pruneTimer = setInterval(() => void pruneUnanswered(), 6 * 60 * 60 * 1000);
      pruneTimer.unref();
      if (leads) {
        leadTimer = setInterval(() => void repostOverdue(), 60 * 1000);
        leadTimer.unref();
      }
      const address = await listen(server, config.port, config.host);
      const base = `http://${address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host}:${address.port}`;
      playground?.setServiceUrl(base);
      logger.info(
        { event: 'started', port: address.port, host: address.host, botVersion, knowledgePack: pack.identity.packVersion },
        `Safeguarding Assistant is listening on ${base}`,
      );
      if (config.localMode) {
        logger.info(
          { event: 'local-mode' },
          `Local mode: no MicrosoftAppId is set, so Bot Framework authentication is off. Point the Bot Framework Emulator at ${base}/api/messages.`,
        );
      }
      if (playground)
        logger.info(
          { event: 'playground-on', url: `${base}/` },
          `Playground: open ${base}/ in your browser to chat with the bot (the same cards Teams shows).`,
        );
      if (config.metrics.enabled && !config.metrics.token && !isLoopbackHost(address.host)) {
        logger.warn(
          { event: 'metrics-unprotected' },
          'GET /metrics is open to anyone who can reach this port: set METRICS_TOKEN, or METRICS=off if nothing scrapes it.',
        );
      }
      if (slack) await slack.start();
      else logger.info({ event: 'slack-off' }, 'Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to turn it on.');
      if (leads) await logLeadRequests();
      return address;
    },
    async stop() {
      if (stopped) return stopped;
      stopped = (async () => {
        if (leadTimer) clearInterval(leadTimer);
        await slack?.stop();
        await reposting;
        // Event streams never finish by themselves; end them so their connections can close.
        playground?.close();
        await drain.drain();
        await engineThread?.stop();
        if (pruneTimer) clearInterval(pruneTimer);
        await records.flush?.();
        await store?.close();
        logger.info({ event: 'store-closed', store: store?.kind ?? 'none' }, 'record store closed');
      })();
      return stopped;
    },
    inFlight: () => drain.inFlight(),
    repostOverdueLeadRequests: repostOverdue,
  };

  /** One line saying where requests to the safeguarding leads go, and what is still to do. */
  async function logLeadRequests(): Promise<void> {
    const where: string[] = [];
    if (slackLeadsChannel && slack) where.push(`Slack channel ${slackLeadsChannel}`);
    if (teamsLeads) {
      const known = await teamsLeads.isKnown().catch(() => false);
      where.push(
        known
          ? "the leads' Teams channel"
          : "the leads' Teams channel once the bot is added to that team (it has not been yet: add it in Teams, Manage team > Apps)",
      );
    }
    if (playground) where.push("the playground's simulated leads' channel");
    logger.info(
      { event: 'lead-requests-on', platforms: where.length },
      `Ask a safeguarding lead is on: requests go to ${where.join(', ')}.`,
    );
  }
}

function isLoopbackHost(host: string): boolean {
  return host === '::1' || host === 'localhost' || host.startsWith('127.');
}
