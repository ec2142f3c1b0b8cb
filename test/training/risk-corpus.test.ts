import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRiskModelDirectory, type RiskModelHeader } from '../../src/knowledge/risk-model-file.js';
import { corpusSha256, readSplit, testSplitSha256 } from '../../training/risk/corpus.js';
import { realEngine } from '../support/engine.js';

/**
 * The frozen test split is the corpus's honest measure only while it never changes and is never
 * tuned on. Changing it on purpose means changing this hash in the same commit, in plain sight.
 */
const frozenTestSplitSha256 = 'fc8d2704ef127bb3dc76830a10bf982e66afd5a9d4f3513c3073c066bb288207';

describe('the immediate-risk corpus and model', () => {
  it('keeps the frozen test split unchanged', () => {
    assert.equal(testSplitSha256(), frozenTestSplitSha256, 'training/risk/test/ changed: the frozen test split must not change silently');
  });

  it('holds at least 4,000 messages written for it, about half of them emergencies', () => {
    // Besides these, train/ holds the pack's phrasings and the eval sets (import-labelled.ts), nearly all non-emergencies.
    const all = (['train', 'dev', 'test', 'blind'] as const)
      .flatMap((split) => readSplit(split))
      .filter((message) => message.voice !== 'knowledge pack' && message.voice !== 'eval set');
    assert.ok(all.length >= 4000, `${all.length} messages`);
    const emergencies = all.filter((message) => message.label === 'emergency').length;
    assert.ok(emergencies > 0.35 * all.length && emergencies < 0.65 * all.length, `${emergencies} of ${all.length} are emergencies`);
  });

  it('was trained on exactly the corpus that is committed (run npm run train:risk after changing training/risk/)', () => {
    const header = JSON.parse(readFileSync(join(defaultRiskModelDirectory, 'risk-model.json'), 'utf8')) as RiskModelHeader;
    assert.equal(header.corpusSha256, corpusSha256());
    assert.equal((header.figures as { testSplitSha256?: string }).testSplitSha256, frozenTestSplitSha256);
  });

  it('meets the bar on the frozen test split through the whole engine (deciding signals OR model)', () => {
    const engine = realEngine();
    const test = readSplit('test');
    const bands = test.map((message) => ({ emergency: message.label === 'emergency', band: engine.answer(message.text).risk }));
    const emergencies = bands.filter((item) => item.emergency);
    const others = bands.filter((item) => !item.emergency);
    const share = (items: typeof bands, test: (band: string) => boolean) => items.filter((item) => test(item.band)).length / items.length;
    const recall = share(emergencies, (band) => band === 'emergency');
    const flagged = share(emergencies, (band) => band !== 'none');
    const falseEmergencies = share(others, (band) => band === 'emergency');
    const possibleOnNone = share(others, (band) => band === 'possible');
    const figures = JSON.stringify({ recall, flagged, falseEmergencies, possibleOnNone });
    assert.ok(recall >= 0.98, `emergency-band recall below 98%: ${figures}`);
    assert.ok(flagged >= 0.995, `emergency-or-possible recall below 99.5%: ${figures}`);
    assert.ok(falseEmergencies <= 0.02, `false emergencies above 2%: ${figures}`);
    assert.ok(possibleOnNone <= 0.08, `possible band on non-emergencies above 8%: ${figures}`);
  });
});
