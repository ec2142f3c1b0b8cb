import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closingQuestionWords,
  latestNewsWords,
  paragraphConfidence,
  paragraphStrideWords,
  RiskModel,
} from '../../src/engine/risk/risk-model.js';
import { tokenise } from '../../src/engine/text-normaliser.js';
import { defaultKnowledgeDirectory, loadKnowledgePack } from '../../src/knowledge/load-knowledge-pack.js';
import { KnowledgePackError } from '../../src/knowledge/pack-problem.js';
import { defaultRiskModelDirectory, encodeRiskModelWeights, readRiskModel } from '../../src/knowledge/risk-model-file.js';

describe('the learned risk model file', () => {
  const folders: string[] = [];
  const modelCopy = () => {
    const folder = mkdtempSync(join(tmpdir(), 'risk-model-'));
    folders.push(folder);
    cpSync(defaultRiskModelDirectory, folder, { recursive: true });
    return folder;
  };
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  const problemsLoading = (modelFolder: string) => {
    try {
      loadKnowledgePack(defaultKnowledgeDirectory, { riskModel: modelFolder });
    } catch (error) {
      assert.ok(error instanceof KnowledgePackError, String(error));
      return error.problems;
    }
    assert.fail('a broken model was accepted');
  };

  it('reads back what the trainer writes', () => {
    const weights = readRiskModel(defaultRiskModelDirectory);
    assert.ok(weights.members.length >= 1);
    const folder = modelCopy();
    writeFileSync(join(folder, 'risk-model.bin'), encodeRiskModelWeights(weights.members));
    const again = readRiskModel(folder);
    const words = tokenise('a year 8 girl is getting into a car with a man she met on snapchat right now');
    assert.equal(new RiskModel(again).score(words).probability, new RiskModel(weights).score(words).probability);
  });

  it('stops start-up with the file and the fix when the model is missing', () => {
    const folder = modelCopy();
    rmSync(join(folder, 'risk-model.json'));
    const [problem] = problemsLoading(folder);
    assert.match(problem!.file, /risk-model\.json$/);
    assert.match(problem!.message, /missing/);
    assert.match(problem!.fix, /npm run train:risk/);
  });

  it('stops start-up with the file and the fix when the numbers do not match their description', () => {
    const folder = modelCopy();
    const bytes = readFileSync(join(folder, 'risk-model.bin'));
    writeFileSync(join(folder, 'risk-model.bin'), bytes.subarray(0, bytes.length - 100));
    const [problem] = problemsLoading(folder);
    assert.match(problem!.message, /risk-model\.bin/);
    assert.match(problem!.fix, /npm run train:risk/);
  });

  it('scores any message, however long or strange, between 0 and 1', () => {
    const model = new RiskModel(readRiskModel(defaultRiskModelDirectory));
    assert.equal(model.score([]).probability, 0);
    for (const text of ['x', 'qwertyuiop asdfgh', 'he is outside '.repeat(3000), '1 2 3 4 5 6 7 8 9 0'.repeat(50)]) {
      const { probability, weighedMost } = model.score(tokenise(text));
      assert.ok(probability >= 0 && probability <= 1, text.slice(0, 20));
      assert.ok(weighedMost().length <= 3);
    }
  });

  describe('a danger told only at the end of a long, calm account', () => {
    const model = new RiskModel(readRiskModel(defaultRiskModelDirectory));
    const calmOpening =
      'Morning all, a quick admin thing before my real question: do the consent forms for the school nurse height ' +
      'and weight checks go out through the new parent app this year, or can we still send paper copies home in book ' +
      'bags? Half of ours came back unsigned last time and the office spent weeks chasing families. I am also trying ' +
      'to pull together something for our staff briefing on the trend videos the year 8 girls keep talking about, the ' +
      'ones that dare each other to do things and post them, because two parents have asked what the school is doing ' +
      'about it and whether we will be covering it in PSHE next term. ';
    const news =
      'The lunchtime supervisor has just fetched me to the girls toilets where a year 8 girl has cut deep into her ' +
      'wrist for one of these dares. There is blood all over the floor and she is going floppy and not answering us.';
    const lastWords = (tokens: string[]) => tokens.slice(-latestNewsWords);

    it('reads the last words on their own too, so the background cannot damp the news', () => {
      const account = tokenise(calmOpening + news);
      assert.ok(account.length > latestNewsWords, 'the account is longer than its part read again');
      const whole = model.score(account).probability;
      assert.ok(whole >= model.score(lastWords(account)).probability, 'the account scores at least what its last words score alone');
      assert.ok(whole >= model.thresholds.emergency, `the account scored ${whole.toFixed(3)}`);
    });

    it('does not take a closing question about what to do "if" a danger happened for news of one', () => {
      const scenario =
        'For the staff training I am writing I want one case study the group can argue over, so my question is ' +
        'this: what should a tutor do if a child puts her hand up in the lesson and says the man she has been ' +
        'talking to online is waiting outside the school gates for her right now?';
      const account = tokenise(calmOpening + scenario);
      const question = account.lastIndexOf('if');
      assert.ok(account.length - question < closingQuestionWords, 'the question starts near the end');
      const asked = model.score(account).probability;
      const toldAsNews = model.score(lastWords(account)).probability;
      assert.ok(toldAsNews > asked, `read alone as news the last words score ${toldAsNews.toFixed(3)}, the account ${asked.toFixed(3)}`);
      assert.ok(asked < model.thresholds.emergency, `the account scored ${asked.toFixed(3)}`);
    });

    it('still reads a danger told just before a closing "what do I do if" question', () => {
      const told = tokenise(`${calmOpening}${news} What do I do if her mum does not pick up the phone?`);
      assert.ok(told.length - told.lastIndexOf('if') < closingQuestionWords);
      const probability = model.score(told).probability;
      assert.ok(probability >= model.thresholds.emergency, `the account scored ${probability.toFixed(3)}`);
    });

    it('reads a danger told in the middle, before calm questions, a paragraph at a time', () => {
      const laterQuestions =
        'Separately, for our records, which form do we use to log an online concern on the new system, and does the ' +
        'entry need to go to the governors? I would also like to know whether the staff briefing on online trends can ' +
        'count towards the annual safeguarding training hours, and who in the county runs sessions for parents on the ' +
        'apps the children use. Our policy review is due next month and we want it to match the partnership procedure, ' +
        'so any pointers to the right sections would help, as would an example of how other schools word the part ' +
        'about mobile phones in school.';
      const shortOpening =
        'Morning all, a quick admin thing before my real question: do the consent forms for the school nurse checks ' +
        'go out through the new parent app this year, or can we still send paper copies home in book bags? Half of ' +
        'ours came back unsigned last time. ';
      const account = tokenise(`${shortOpening}${news} ${laterQuestions}`);
      const { emergency } = model.thresholds;
      const calmEnd = model.score(lastWords(account)).probability;
      assert.ok(calmEnd < emergency, `the last words alone score ${calmEnd.toFixed(3)}`);
      let paragraph = 0;
      for (let start = 0; start + latestNewsWords < account.length; start += paragraphStrideWords)
        paragraph = Math.max(paragraph, model.score(account.slice(start, start + latestNewsWords)).probability);
      assert.ok(paragraph >= paragraphConfidence, `the paragraph with the danger scores ${paragraph.toFixed(3)} alone`);
      const probability = model.score(account).probability;
      assert.ok(probability >= emergency, `the account scored ${probability.toFixed(3)}`);
      const words = model.score(account).weighedMost();
      assert.ok(words.length > 0 && words.every((word) => account.includes(word)), words.join(' '));
    });

    it('leaves a calm account calm, and explains the alarm with words of the message', () => {
      const calm = model.score(tokenise(calmOpening + calmOpening));
      assert.ok(calm.probability < model.thresholds.possible, `the calm account scored ${calm.probability.toFixed(3)}`);
      const account = tokenise(calmOpening + news);
      const words = model.score(account).weighedMost();
      assert.ok(words.length > 0 && words.every((word) => account.includes(word)), words.join(' '));
    });
  });
});
