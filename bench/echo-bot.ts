import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } from 'botbuilder';
import restify from 'restify';

/**
 * The yardstick for `npm run bench:http`: the bare Bot Framework echo bot, as Microsoft's samples
 * write it (restify, CloudAdapter, no authentication), replying to each message with its text.
 * Nothing of the Safeguarding Assistant is in it. GET /healthz only says it is up.
 */
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(MessageFactory.text(`Echo: ${context.activity.text ?? ''}`));
  await next();
});

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (request, response) => {
  await adapter.process(request, response, (context) => bot.run(context));
});
server.get('/healthz', (_request, response, next) => {
  response.send(200, { status: 'ok' });
  return next();
});
server.listen(Number(process.env.PORT ?? 3979), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
