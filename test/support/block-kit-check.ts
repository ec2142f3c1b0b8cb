import { blockKitLimits } from '../../src/render/block-kit/block-kit-renderer.js';

interface PlainOrMarkdown {
  text: string;
}

interface CheckedBlock {
  type: string;
  block_id?: string;
  text?: PlainOrMarkdown;
  elements: Array<{ text: PlainOrMarkdown; value?: string; action_id: string }>;
}

/** Everything in a message that breaks one of Block Kit's limits (empty when it is within them). */
export function blockKitProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  if (typeof message.text !== 'string' || message.text.trim() === '') problems.push('no fallback text');
  const blocks = (message.blocks ?? []) as CheckedBlock[];
  if (!Array.isArray(blocks) || blocks.length === 0) problems.push('no blocks');
  if (blocks.length > blockKitLimits.blocksPerMessage) problems.push(`${blocks.length} blocks`);
  blocks.forEach((block, index) => {
    const where = `block ${index} (${block.type})`;
    if (block.type === 'header' && (block.text?.text.length ?? 0) > blockKitLimits.headerText) problems.push(`${where}: header too long`);
    if (block.type === 'section') {
      if (!block.text?.text) problems.push(`${where}: empty section`);
      else if (block.text.text.length > blockKitLimits.sectionText) problems.push(`${where}: section text ${block.text.text.length}`);
    }
    if (block.type === 'context' && block.elements.length > blockKitLimits.contextElements)
      problems.push(`${where}: too many context elements`);
    if (block.type === 'actions') {
      if (block.elements.length > blockKitLimits.actionsPerBlock) problems.push(`${where}: too many buttons`);
      const ids = new Set<string>();
      for (const element of block.elements) {
        if (element.text.text.length > blockKitLimits.buttonText) problems.push(`${where}: button text "${element.text.text}"`);
        if ((element.value ?? '').length > blockKitLimits.buttonValue) problems.push(`${where}: button value too long`);
        if (ids.has(element.action_id)) problems.push(`${where}: repeated action_id ${element.action_id}`);
        ids.add(element.action_id);
      }
    }
  });
  const blockIds = blocks.map((block) => block.block_id).filter(Boolean);
  if (new Set(blockIds).size !== blockIds.length) problems.push('repeated block_id');
  return problems;
}

/** All text in a Block Kit message, for content checks. */
export function blockKitText(message: { blocks?: unknown }): string {
  return JSON.stringify(message.blocks ?? []).replace(/\\n/g, '\n');
}
