import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The package's lib/ build does not load under plain Node; its UMD bundle does.
const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: Array<{ message: string }> };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(index: number): { message: string } };
};

/** Microsoft's parser's complaints about a card, plus our own limits (Teams: 28 KB, schema 1.5). */
export function adaptiveCardProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const context = new AdaptiveCards.SerializationContext();
  const parsed = new AdaptiveCards.AdaptiveCard();
  parsed.parse(card, context);
  for (let index = 0; index < context.eventCount; index++) problems.push(`parse: ${context.getEventAt(index).message}`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > 28 * 1024) problems.push(`card is ${bytes} bytes, over the 28 KB Teams limit`);
  if (Number(card.version) > 1.5) problems.push(`version ${String(card.version)} is newer than Teams renders`);
  return problems;
}

/** Every string in the card, in document order: what a reader would see, roughly. */
export function cardTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title') && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk((card as { body?: unknown }).body);
  return texts;
}
