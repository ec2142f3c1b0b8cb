import { createInterface } from 'node:readline';
import type { AnswerContext, Engine } from '../engine/index.js';
import { renderPlainText } from '../render/plain-text.js';
import { toJsonLine } from './answer-json-line.js';
import { loadEngineOrExit } from './load-engine.js';

const usage = `Ask Safeguarding Assistant a question from the terminal.

  npm run ask -- "a pupil has shared a nude image"        the reply as plain text
  npm run ask -- --json "who do I call for advice"         the Answer model as JSON
  npm run --silent ask -- --jsonl < questions.txt          one JSON object per input line
  npm run ask -- --area derby-city "consultation line"     put your area's line first (derby-city or derbyshire)
`;

async function main(argv: string[]): Promise<void> {
  const words: string[] = [];
  let mode: 'text' | 'json' | 'jsonl' = 'text';
  const context: AnswerContext = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--json') mode = 'json';
    else if (argument === '--jsonl') mode = 'jsonl';
    else if (argument === '--area') {
      const area = argv[++index];
      if (area !== 'derby-city' && area !== 'derbyshire') {
        process.stderr.write('--area takes derby-city or derbyshire\n');
        process.exit(64);
      }
      context.area = area;
    } else if (argument === '--help' || argument === '-h') {
      process.stdout.write(usage);
      return;
    } else words.push(argument);
  }

  const engine = loadEngineOrExit();
  if (mode === 'jsonl') {
    await answerEachLine(engine, context);
    return;
  }
  const question = words.join(' ');
  if (!question.trim()) {
    process.stderr.write(usage);
    process.exit(64);
  }
  const answer = engine.answer(question, context);
  process.stdout.write(mode === 'json' ? `${JSON.stringify(answer, null, 2)}\n` : `${renderPlainText(answer)}\n`);
}

async function answerEachLine(engine: Engine, context: AnswerContext): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    let output: string;
    try {
      output = toJsonLine(line, engine.answer(line, context));
    } catch {
      // One bad line must not end the run or break the one-line-per-question contract.
      output = toJsonLine(line, engine.safety(context));
    }
    process.stdout.write(`${output}\n`);
  }
}

await main(process.argv.slice(2));
