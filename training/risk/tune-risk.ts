import { createHash } from 'node:crypto';
import { RiskModel } from '../../src/engine/risk/risk-model.js';
import { type LabelledMessage, readSplit } from './corpus.js';
import { readWords, score, trainingExamples } from './examples.js';
import { assembleModel, defaultTrainingSettings, RiskTrainer, seededRandom, type TrainingSettings } from './risk-trainer.js';
import { separation } from './thresholds.js';
import { loadWordVectors } from './word-vectors.js';

/**
 * Tries training settings on the dev split (never the test split) and prints, for each, the model's
 * separation of emergencies from the rest: false alarms at 97% and 99% recall, and recall at 3% false
 * alarms. `RISK_GRID='[{"l2":1e-4},{"epochs":6}]' npx tsx training/risk/tune-risk.ts`
 */
const base = defaultTrainingSettings;
const folds = Number(process.env.RISK_FOLDS ?? 5);
const grid = JSON.parse(process.env.RISK_GRID ?? '[{}]') as Array<Partial<TrainingSettings>>;

// Cross-validation over train and dev together (never test): folds by a hash of the text.
const pool = [...readSplit('train'), ...readSplit('blind'), ...readSplit('dev')];
// Messages brought in from the pack and the eval sets (import-labelled.ts) are always trained on; the
// writers' hard cases are what the folds measure.
const imported = (message: LabelledMessage) => message.voice === 'knowledge pack' || message.voice === 'eval set';
const foldOf = (message: LabelledMessage) =>
  imported(message) ? -1 : createHash('sha256').update(message.text).digest().readUInt32BE(0) % folds;
const vectors = loadWordVectors();
const vocabulary = [...new Set(pool.flatMap((message) => readWords(message.text)))].filter((word) => /^[a-z]+$/.test(word));

for (const change of grid) {
  const settings = { ...base, ...change };
  const scored: Array<{ emergency: boolean; p: number }> = [];
  for (let fold = 0; fold < folds; fold++) {
    const members = Number((change as { members?: number }).members ?? 1);
    const trainers: RiskTrainer[] = [];
    for (let member = 0; member < members; member++) {
      const memberSettings = { ...settings, seed: settings.seed + 7919 * member };
      const random = seededRandom(memberSettings.seed + 1);
      const trainer = new RiskTrainer(vectors, memberSettings);
      trainer.train(
        trainingExamples(
          pool.filter((message) => foldOf(message) !== fold),
          random,
        ),
      );
      trainers.push(trainer);
    }
    const model = new RiskModel(
      assembleModel(trainers, vocabulary, {
        format: 2,
        createdBy: 'tune',
        corpusSha256: '',
        seed: settings.seed,
        thresholds: { emergency: 0.5, possible: 0.5 },
        figures: {},
      }),
    );
    for (const message of pool.filter((item) => foldOf(item) === fold)) {
      scored.push({ emergency: message.label === 'emergency', p: score(model, message.text) });
    }
  }
  console.log(`${JSON.stringify(change)}: ${separation(scored)}`);
}
