import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { RiskBand } from '../engine/index.js';
import { disguise } from './disguise-text.js';
import { loadEngineOrExit } from './load-engine.js';

/**
 * Scores the immediate-risk bands of whole replies (signals OR model, as users get them) over
 * labelled messages, for blind rounds and the corpus splits:
 *
 *   npm run --silent eval:risk -- training/risk/test/*.jsonl
 *   npm run --silent eval:risk -- --hide-text /work/blind/round-3.jsonl   (figures and kinds, no message text)
 *   npm run --silent eval:risk -- --disguise eval/dev-cases.jsonl         (zero-width characters and entities mixed into every word)
 *
 * Accepts corpus lines ({"text", "label": "emergency"|"none"}) and eval lines ({"q", "kind"}).
 */
interface Labelled {
  text: string;
  emergency: boolean;
  kind?: string;
  where: string;
}

function readLabelled(file: string): Labelled[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      if (!line.trim()) return [];
      const value = JSON.parse(line) as { text?: string; q?: string; label?: string; kind?: string };
      const text = value.text ?? value.q;
      if (typeof text !== 'string') throw new Error(`${file}:${index + 1}: needs "text" or "q".`);
      const emergency = value.label ? value.label === 'emergency' : value.kind === 'emergency';
      return [{ text, emergency, where: `${basename(file)}:${index + 1}`, ...(value.label ? { kind: value.kind } : {}) }];
    });
}

function main(argv: string[]): void {
  const files = argv.filter((argument) => !argument.startsWith('--'));
  const hideText = argv.includes('--hide-text');
  const disguised = argv.includes('--disguise');
  if (files.length === 0) {
    process.stderr.write('Name one or more JSON Lines files of labelled messages.\n');
    process.exit(2);
  }
  const messages = files.flatMap(readLabelled);
  const engine = loadEngineOrExit();
  const scored = messages.map((message) => ({ message, band: engine.answer(disguised ? disguise(message.text) : message.text).risk }));

  const emergencies = scored.filter((item) => item.message.emergency);
  const others = scored.filter((item) => !item.message.emergency);
  const count = (items: typeof scored, bands: RiskBand[]) => items.filter((item) => bands.includes(item.band)).length;
  const line = (name: string, part: number, whole: number) =>
    console.log(`${name.padEnd(34)} ${`${part}/${whole}`.padEnd(10)} ${whole ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a'}`);

  const show = (title: string, items: typeof scored) => {
    if (items.length === 0) return;
    console.log(`${title} (${items.length}):`);
    for (const { message, band } of items) {
      const what = hideText ? (message.kind ?? '') : message.text.replace(/\s+/g, ' ').slice(0, 300);
      console.log(`  [${band}] ${message.where} ${what}`);
    }
    console.log('');
  };
  show(
    'Emergencies not in the emergency band',
    emergencies.filter((item) => item.band !== 'emergency'),
  );
  show(
    'Non-emergencies in the emergency band',
    others.filter((item) => item.band === 'emergency'),
  );
  if (argv.includes('--show-possible'))
    show(
      'Non-emergencies in the possible band',
      others.filter((item) => item.band === 'possible'),
    );

  console.log(`Messages: ${files.map((file) => basename(file)).join(', ')}${disguised ? ' (disguised)' : ''}`);
  line('Emergency band recall', count(emergencies, ['emergency']), emergencies.length);
  line('Emergency or possible', count(emergencies, ['emergency', 'possible']), emergencies.length);
  line('False emergencies', count(others, ['emergency']), others.length);
  line('Possible on non-emergencies', count(others, ['possible']), others.length);
}

main(process.argv.slice(2));
