import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/engine/index.js';
import { TopicRanker, type TopicRankerHeader } from '../../src/engine/topic-ranker.js';
import { loadKnowledgePack } from '../../src/knowledge/load-knowledge-pack.js';
import {
  defaultTopicRankerDirectory,
  encodeTopicRanker,
  readTopicRanker,
  topicRankerFileName,
} from '../../src/knowledge/topic-ranker-file.js';
import { readLabelledAccounts, readOffTopicMessages, topicCorpusSha256 } from '../../training/topics/corpus.js';
import { realEngine } from '../support/engine.js';

const header = () => JSON.parse(readFileSync(join(defaultTopicRankerDirectory, topicRankerFileName), 'utf8')) as TopicRankerHeader;

describe('the learned topic ranker', () => {
  it('was trained on exactly the corpus that is committed (run npm run train:topics after changing training/topics/ or eval/blind/)', () => {
    assert.equal(header().corpusSha256, topicCorpusSha256());
  });

  it("ranks exactly the pack's topics, and every label in its corpus is one of them", () => {
    const { pack } = loadKnowledgePack(undefined, { topicRanker: false });
    const ids = pack.topics.map((topic) => topic.id);
    assert.deepEqual(header().topics, ids, 'a topic was added, removed or renamed: run npm run train:topics');
    const unknown = readLabelledAccounts().flatMap((account) => account.topics.filter((id) => !ids.includes(id)));
    assert.deepEqual(unknown, []);
  });

  it('reads back from its file as it was written', () => {
    const written = readTopicRanker()!;
    const folder = mkdtempSync(join(tmpdir(), 'topic-ranker-'));
    try {
      writeFileSync(join(folder, topicRankerFileName), encodeTopicRanker(written.header, written.rows, written.accounts));
      const again = readTopicRanker(folder)!;
      assert.equal(again.rows.length, written.rows.length);
      assert.ok(written.accounts && written.accounts.length === readLabelledAccounts().length, 'the labelled accounts it votes with');
      assert.deepEqual(again.accounts, written.accounts);
      let largestDifference = 0;
      for (let index = 0; index < written.rows.length; index++)
        largestDifference = Math.max(largestDifference, Math.abs(again.rows[index]! - written.rows[index]!));
      assert.ok(largestDifference < 1e-5, `weights moved by ${largestDifference}`);
      writeFileSync(join(folder, topicRankerFileName), JSON.stringify({ ...written.header, format: 9, rowScales: [], rows: '' }));
      assert.throws(() => readTopicRanker(folder), /unknown format 9; retrain with npm run train:topics/);
      const file = JSON.parse(encodeTopicRanker(written.header, written.rows, written.accounts)) as Record<string, unknown>;
      writeFileSync(join(folder, topicRankerFileName), JSON.stringify({ ...file, accountValues: '' }));
      assert.throws(() => readTopicRanker(folder), /its accounts do not fit its terms; retrain with npm run train:topics/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // Written for this test, in voices outside schools: not in the corpus, so the ranker has not seen them.
  const accounts: Array<[string, string[]]> = [
    [
      'Morning, practice nurse here, sorry this is long. First, is the safeguarding training on the 14th still going ahead? Second thing. Had a 14 year old in for her jabs and mum mentioned, almost in passing, that a lad in her year has been passing round a picture of her in her bra that she sent him when they were together. Mum wants it gone from the internet and is worried her daughter will be the one in trouble. Is there a way for a young person to get a picture like that taken down themselves?',
      ['report-remove', 'nudes-sharing', 'criminalising-children-nudes'],
    ],
    [
      'PCSO. Spoke with a family on my beat yesterday, their 15 year old has been spending every night on a betting site using his older cousins card, lost about 300 quid, keeps saying he will win it back, and there are pop ups for loot boxes and free spins on every game he plays. Not a crime issue really from what I can see, more the gambling side. Where does this sit and what should I point the parents to?',
      ['online-gambling', 'commerce-risk'],
    ],
  ];
  for (const [account, topics] of accounts) {
    it(`answers a long account it has not seen with a topic a lead would accept (${topics[0]})`, () => {
      const answer = realEngine().answer(account);
      assert.equal(answer.kind, 'answer');
      assert.ok(topics.includes(answer.topicId ?? ''), `answered with ${answer.topicId}`);
      // The explanation is the matcher's: the topic's own phrasing that came closest.
      assert.ok(answer.matchedOn, 'the closest phrasing is kept');
    });
  }

  it('leaves a long message about something else "not my subject"', () => {
    const answer = realEngine().answer(
      'Good afternoon, I look after the bookings for the parish hall. Could you tell me how to set up a shared calendar in Outlook so the caretaker and the playgroup leader can both see when the hall is booked, and how to make it repeat every second Tuesday?',
    );
    assert.equal(answer.kind, 'fallback');
  });

  it('leaves long messages about something else "not my subject" at least as often as the matcher alone', () => {
    const { pack } = loadKnowledgePack(undefined, { topicRanker: false });
    const without = createEngine(pack);
    const messages = readOffTopicMessages('check-off-topic.jsonl');
    assert.ok(messages.length >= 20);
    const declined = (engine: { answer(question: string): { kind: string } }) =>
      messages.filter((message) => engine.answer(message).kind !== 'answer').length;
    assert.ok(declined(realEngine()) >= declined(without), `with the ranker ${declined(realEngine())}, without ${declined(without)}`);
  });

  it('answers with its sure topic without a telling word in common only from the probability it was trained to (aloneUnanchoredFrom)', function () {
    this.timeout(60_000);
    const { pack } = loadKnowledgePack();
    const topicRanker = pack.topicRanker!;
    const from = topicRanker.header.blend.aloneUnanchoredFrom;
    assert.ok(from, 'chosen by npm run train:topics');
    const { aloneUnanchoredFrom: _notSet, ...blend } = topicRanker.header.blend;
    const anchoredOnly = createEngine({ ...pack, topicRanker: { ...topicRanker, header: { ...topicRanker.header, blend } } });
    const shipped = realEngine();
    const ranker = new TopicRanker(topicRanker);
    // Over a share of the labelled accounts: the setting changes some answers, and each changed one is
    // the ranker's own top topic, given at least that probability.
    const changed = readLabelledAccounts()
      .filter((account) => account.file.startsWith('more-'))
      .filter((account) => shipped.answer(account.q).topicId !== anchoredOnly.answer(account.q).topicId);
    assert.ok(changed.length > 0, 'the setting changed no answer');
    for (const account of changed) {
      const probabilities = [...(ranker.probabilities(shipped.rankerInput(account.q)) ?? new Map<string, number>())];
      const [top, probability] = probabilities.reduce((best, entry) => (entry[1] > best[1] ? entry : best));
      assert.equal(shipped.answer(account.q).topicId, top, account.q.slice(0, 80));
      assert.ok(probability >= from, `${top} at ${probability}`);
    }
  });

  it('changes the answers to long accounts only: without it, short questions are answered the same', () => {
    const { pack } = loadKnowledgePack(undefined, { topicRanker: false });
    const without = createEngine(pack);
    for (const question of ['sextortion', 'who do I call about a staff member', 'can I look at the image', 'county lines'])
      assert.equal(realEngine().answer(question).topicId, without.answer(question).topicId, question);
  });
});
