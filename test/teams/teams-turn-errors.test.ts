import assert from 'node:assert/strict';
import { TestAdapter } from 'botbuilder';
import { replyWithSafetyCard } from '../../src/adapters/teams/bot-framework-adapter.js';
import { SafeguardingTeamsBot } from '../../src/adapters/teams/teams-bot.js';
import { ConversationHandler } from '../../src/conversation/conversation-handler.js';
import { noRecords } from '../../src/conversation/conversation-records.js';
import { AdaptiveCardRenderer } from '../../src/render/adaptive-card/adaptive-card-renderer.js';
import { cardTexts } from '../support/adaptive-card-check.js';
import { captureLogs } from '../support/capture-logs.js';
import { failingEngine, realEngine } from '../support/engine.js';

function botWith(engine = realEngine()) {
  const { logger, lines } = captureLogs();
  const bot = new SafeguardingTeamsBot(new ConversationHandler(engine, noRecords, logger), new AdaptiveCardRenderer());
  const adapter = new TestAdapter(async (context) => bot.run(context));
  adapter.onTurnError = replyWithSafetyCard(logger, bot);
  return { adapter, lines };
}

function cardText(activity: { attachments?: Array<{ content?: unknown }> }): string {
  return cardTexts(activity.attachments?.[0]?.content).join('\n');
}

describe('Teams bot through the Bot Framework test adapter', () => {
  it('answers a 1:1 message with a card and no typing indicator', async () => {
    const { adapter } = botWith();
    await adapter
      .send('what is report remove')
      .assertReply((activity) => {
        assert.equal(activity.type, 'message');
        assert.match(cardText(activity), /Report Remove/);
      })
      .assertNoReply('nothing after the card', 200);
  });

  it('still sends the safety card (999 and the consultation lines) when answering fails', async () => {
    const { adapter, lines } = botWith(failingEngine());
    await adapter.send('a question about sexting from a named pupil').assertReply((activity) => {
      const text = cardText(activity);
      assert.match(text, /999/);
      assert.match(text, /01629 535 353/);
      assert.match(text, /07812 300 329/);
    });
    const log = lines.join('');
    assert.match(log, /turn-error/);
    assert.doesNotMatch(log, /named pupil/);
  });
});
