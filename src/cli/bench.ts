import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../engine/index.js';
import { loadKnowledgePack } from '../knowledge/load-knowledge-pack.js';

/**
 * Prints how fast the engine answers and how long it takes to start. Figures, not assertions:
 * timings depend on the machine. Targets on the 2-core reference machine: p99 under 2 ms per
 * answer, start-up (load, check, index) under 300 ms.
 */

const evalDirectory = resolve(fileURLToPath(new URL('../../eval', import.meta.url)));
const questionCount = Number(process.env.BENCH_QUESTIONS ?? 5000);

function evalQuestions(): string[] {
  return readdirSync(evalDirectory)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(evalDirectory, name), 'utf8').split('\n'))
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { q: string }).q);
}

/** A deterministic mix: the question sets as written, with typos, run together, and very long. */
function mixedQuestions(seed: string[], count: number): string[] {
  let state = 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = () => seed[Math.floor(random() * seed.length)]!;
  const withTypo = (text: string) => {
    const at = Math.floor(random() * Math.max(1, text.length - 1));
    return text.slice(0, at) + text.slice(at + 1, at + 2) + text.slice(at, at + 1) + text.slice(at + 2);
  };
  const questions: string[] = [];
  while (questions.length < count) {
    const roll = random();
    if (roll < 0.5) questions.push(pick());
    else if (roll < 0.8) questions.push(withTypo(pick()));
    else if (roll < 0.97) questions.push(`${pick()} and also ${pick()}`);
    else questions.push(Array.from({ length: 40 }, pick).join('. '));
  }
  return questions;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

function main(): void {
  const startedAt = performance.now();
  const { pack } = loadKnowledgePack(process.env.KNOWLEDGE_DIR || undefined);
  const loadedAt = performance.now();
  const engine = createEngine(pack);
  const readyAt = performance.now();
  engine.warmUp();
  const warmAt = performance.now();

  const questions = mixedQuestions(evalQuestions(), questionCount);
  // The baseline, in the same run: the same engine without the learned risk model (the rules alone).
  const withoutModel = createEngine({ ...pack, riskModel: undefined });
  withoutModel.warmUp();
  for (const question of questions.slice(0, 200)) {
    engine.answer(question);
    withoutModel.answer(question);
  }

  // Interleaved, so that whatever else the machine is doing slows both alike.
  const timings: number[] = [];
  const baseline: number[] = [];
  for (const question of questions) {
    let before = performance.now();
    engine.answer(question);
    timings.push(performance.now() - before);
    before = performance.now();
    withoutModel.answer(question);
    baseline.push(performance.now() - before);
  }
  timings.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  const heapMegabytes = process.memoryUsage().heapUsed / (1024 * 1024);
  const modelStartedAt = performance.now();
  createEngine(pack);
  const modelCost = performance.now() - modelStartedAt;
  const rulesStartedAt = performance.now();
  createEngine({ ...pack, riskModel: undefined });
  const rulesCost = performance.now() - rulesStartedAt;

  const ms = (value: number) => `${value.toFixed(3)} ms`;
  console.log(
    `Knowledge pack: ${pack.topics.length} topics, ${pack.topics.reduce((sum, topic) => sum + topic.phrasings.length, 0)} phrasings`,
  );
  console.log(
    `Start-up: load and check ${ms(loadedAt - startedAt)}, build index ${ms(readyAt - loadedAt)}, total ${ms(readyAt - startedAt)} (target < 300 ms). ` +
      `Then, off the start-up path, the spelling dictionary: ${ms(warmAt - readyAt)}.`,
  );
  console.log('  (An unchanged, already-checked pack loads from the cache; `npm run check:knowledge` always checks every file.)');
  console.log(
    `  Building the engine again: ${ms(modelCost)} with the risk model, ${ms(rulesCost)} without it (the model's part: ${ms(modelCost - rulesCost)}).`,
  );
  const row = (name: string, list: number[]) =>
    `${name}: median ${ms(percentile(list, 0.5))}, p99 ${ms(percentile(list, 0.99))}, max ${ms(list[list.length - 1]!)}`;
  console.log(`answer() over ${timings.length} mixed questions (target p99 < 2 ms):`);
  console.log(`  ${row('with the risk model', timings)}`);
  console.log(`  ${row('baseline, rules alone', baseline)}`);
  console.log(`Heap used: ${heapMegabytes.toFixed(1)} MB`);
}

main();
