import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer } from '../engine/index.js';
import { renderPlainText } from '../render/plain-text.js';
import { loadEngineOrExit } from './load-engine.js';

/**
 * Scores the engine over question sets (eval/*.jsonl) and fails below the quality bar:
 * every emergency recognised, at least 95% answered, at most 2% false emergencies, at least
 * 90% of off-topic questions declined.
 */

type CaseKind = 'emergency' | 'answer' | 'offtopic' | 'help';

interface EvalCase {
  q: string;
  kind: CaseKind;
  any?: string[];
  all?: string[];
  /** For an answer: the topic ids any of which is a right answer (blind rounds are written this way). */
  topics?: string[];
  file: string;
  line: number;
}

interface Outcome {
  evalCase: EvalCase;
  answer: Answer;
  passed: boolean;
  why: string;
}

const bar = { emergencyRecall: 1, answered: 0.95, falseEmergencyRate: 0.02, offTopicDeclined: 0.9, help: 0.9 };
const defaultDirectory = resolve(fileURLToPath(new URL('../../eval', import.meta.url)));

function readCases(files: string[]): EvalCase[] {
  const cases: EvalCase[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        if (!text.trim()) return;
        let parsed: Partial<EvalCase>;
        try {
          parsed = JSON.parse(text) as Partial<EvalCase>;
        } catch {
          throw new Error(`${basename(file)} line ${index + 1} is not valid JSON.`);
        }
        if (typeof parsed.q !== 'string' || !['emergency', 'answer', 'offtopic', 'help'].includes(parsed.kind ?? '')) {
          throw new Error(`${basename(file)} line ${index + 1} needs "q" and a "kind" of emergency, answer, offtopic or help.`);
        }
        cases.push({ ...(parsed as EvalCase), file: basename(file), line: index + 1 });
      });
  }
  return cases;
}

/** Letters and digits only, lower case: how expected strings are compared with reply text. */
const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

function mentionsExpected(evalCase: EvalCase, text: string): { ok: boolean; missing: string[] } {
  const reply = squash(text);
  const missingAll = (evalCase.all ?? []).filter((expected) => !reply.includes(squash(expected)));
  const anyOk = !evalCase.any || evalCase.any.length === 0 || evalCase.any.some((expected) => reply.includes(squash(expected)));
  return { ok: missingAll.length === 0 && anyOk, missing: [...missingAll, ...(anyOk ? [] : [`one of ${JSON.stringify(evalCase.any)}`])] };
}

function judge(evalCase: EvalCase, answer: Answer): Outcome {
  const text = renderPlainText(answer);
  const expected = mentionsExpected(evalCase, text);
  const outcome = (passed: boolean, why: string): Outcome => ({ evalCase, answer, passed, why });
  switch (evalCase.kind) {
    case 'emergency':
      if (answer.kind !== 'emergency') return outcome(false, `expected emergency, got ${answer.kind} (${answer.topicId ?? '-'})`);
      return expected.ok ? outcome(true, '') : outcome(false, `emergency reply lacks ${expected.missing.join(', ')}`);
    case 'answer':
      if (answer.kind !== 'answer')
        return outcome(false, `expected answer, got ${answer.kind} (${answer.topicId ?? answer.alternatives.map((a) => a.id).join('|')})`);
      if (evalCase.topics && !evalCase.topics.includes(answer.topicId ?? ''))
        return outcome(false, `answered with ${answer.topicId} (${answer.score}), not one of ${evalCase.topics.join(', ')}`);
      return expected.ok
        ? outcome(true, '')
        : outcome(false, `answered with ${answer.topicId} (${answer.score}) which lacks ${expected.missing.join(', ')}`);
    case 'offtopic':
      return answer.kind === 'fallback'
        ? outcome(true, '')
        : outcome(false, `expected fallback, got ${answer.kind} (${answer.topicId ?? '-'}, ${answer.score})`);
    case 'help':
      return answer.kind === 'help' ? outcome(true, '') : outcome(false, `expected help, got ${answer.kind} (${answer.topicId ?? '-'})`);
  }
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}

function main(argv: string[]): void {
  const fileArguments = argv.filter((argument) => !argument.startsWith('--'));
  const quiet = argv.includes('--quiet');
  const files =
    fileArguments.length > 0
      ? fileArguments.map((file) => resolve(file))
      : readdirSync(defaultDirectory)
          .filter((name) => name.endsWith('.jsonl'))
          .sort()
          .map((name) => join(defaultDirectory, name));
  const cases = readCases(files);
  const engine = loadEngineOrExit();
  const outcomes = cases.map((evalCase) => judge(evalCase, engine.answer(evalCase.q)));

  const of = (kind: CaseKind) => outcomes.filter((outcome) => outcome.evalCase.kind === kind);
  const passedOf = (kind: CaseKind) => of(kind).filter((outcome) => outcome.passed).length;
  const nonEmergency = outcomes.filter((outcome) => outcome.evalCase.kind !== 'emergency');
  const falseEmergencies = nonEmergency.filter((outcome) => outcome.answer.kind === 'emergency').length;

  const figures = {
    emergencyRecall: of('emergency').length ? passedOf('emergency') / of('emergency').length : 1,
    answered: of('answer').length ? passedOf('answer') / of('answer').length : 1,
    falseEmergencyRate: nonEmergency.length ? falseEmergencies / nonEmergency.length : 0,
    offTopicDeclined: of('offtopic').length ? passedOf('offtopic') / of('offtopic').length : 1,
    help: of('help').length ? passedOf('help') / of('help').length : 1,
  };

  if (!quiet) {
    const failures = outcomes.filter((outcome) => !outcome.passed);
    if (failures.length > 0) {
      console.log(`Cases that did not pass (${failures.length}):`);
      for (const failure of failures) {
        console.log(
          `  [${failure.evalCase.kind}] ${failure.evalCase.file}:${failure.evalCase.line} "${failure.evalCase.q}"\n      ${failure.why}`,
        );
      }
      console.log('');
    }
  }

  console.log(`Question sets: ${files.map((file) => basename(file)).join(', ')} (${cases.length} cases)`);
  const rows: Array<[string, string, string, boolean]> = [
    [
      'Emergency recall',
      `${passedOf('emergency')}/${of('emergency').length} = ${percent(passedOf('emergency'), of('emergency').length)}`,
      '= 100%',
      figures.emergencyRecall >= bar.emergencyRecall,
    ],
    [
      'Answer accuracy',
      `${passedOf('answer')}/${of('answer').length} = ${percent(passedOf('answer'), of('answer').length)}`,
      '>= 95%',
      figures.answered >= bar.answered,
    ],
    [
      'False emergencies',
      `${falseEmergencies}/${nonEmergency.length} = ${percent(falseEmergencies, nonEmergency.length)}`,
      '<= 2%',
      figures.falseEmergencyRate <= bar.falseEmergencyRate,
    ],
    [
      'Off-topic declined',
      `${passedOf('offtopic')}/${of('offtopic').length} = ${percent(passedOf('offtopic'), of('offtopic').length)}`,
      '>= 90%',
      figures.offTopicDeclined >= bar.offTopicDeclined,
    ],
    [
      'Help recognised',
      `${passedOf('help')}/${of('help').length} = ${percent(passedOf('help'), of('help').length)}`,
      '>= 90%',
      figures.help >= bar.help,
    ],
  ];
  for (const [name, value, target, ok] of rows)
    console.log(`${name.padEnd(20)} ${value.padEnd(22)} target ${target.padEnd(7)} ${ok ? 'ok' : 'BELOW TARGET'}`);
  const allOk = rows.every((row) => row[3]);
  console.log(allOk ? 'Evaluation passed.' : 'Evaluation FAILED: see the rows marked BELOW TARGET.');
  process.exitCode = allOk ? 0 : 1;
}

main(process.argv.slice(2));
