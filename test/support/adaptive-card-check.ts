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

/**
 * What Teams shows before anything is expanded: every TextBlock and button title in the card's
 * body, but not what waits inside an Action.ShowCard ("More") or in an element hidden with
 * isVisible false. Markdown link targets (tel:, mailto:) are not shown, so they are not counted.
 */
export function visibleTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const element = node as Record<string, unknown>;
      if (element.isVisible === false) return;
      if (element.type === 'Action.ShowCard') {
        if (typeof element.title === 'string') texts.push(element.title);
        return;
      }
      for (const [key, value] of Object.entries(element)) {
        if ((key === 'text' || key === 'title') && typeof value === 'string') texts.push(value.replace(/\]\([^)]*\)/g, ']'));
        else if (key !== 'data') walk(value);
      }
    }
  };
  walk((card as { body?: unknown }).body);
  return texts;
}

/** Words a reader sees: runs of letters or digits, markdown and escapes aside. */
export function visibleWords(card: unknown): number {
  return (
    visibleTexts(card)
      .join(' ')
      .match(/[A-Za-z0-9][A-Za-z0-9'’]*/g)?.length ?? 0
  );
}

/** How often "999" appears in what is shown before anything is expanded. */
export function visible999(card: unknown): number {
  return (
    visibleTexts(card)
      .join(' ')
      .match(/\b999\b/g)?.length ?? 0
  );
}
