import assert from 'node:assert/strict';
import { NearestAccounts } from '../../src/engine/nearest-accounts.js';

/** Unit-length features over columns 0-3 for four labelled accounts, as the ranker would hold them. */
const unit = (pairs: Array<[number, number]>) => {
  const length = Math.hypot(...pairs.map(([, value]) => value));
  return { ids: pairs.map(([id]) => id), values: pairs.map(([, value]) => value / length) };
};
const accounts = [
  {
    ...unit([
      [0, 1],
      [1, 1],
    ]),
    topics: [0],
  },
  {
    ...unit([
      [0, 1],
      [2, 1],
    ]),
    topics: [1, 2],
  },
  { ...unit([[3, 1]]), topics: [2] },
];

describe('the closest labelled accounts', () => {
  it('vote for their topics, the closest most, a later-listed topic with its share', () => {
    const nearest = new NearestAccounts(accounts, 4, 3, { count: 5, laterTopicShare: 0.5 });
    const votes = nearest.votes(
      unit([
        [0, 2],
        [1, 1],
      ]),
    );
    assert.ok(votes[0]! > votes[1]!, `the closest account's topic leads: ${[...votes]}`);
    assert.ok(Math.abs(votes[2]! - votes[1]! / 2) < 1e-12, 'a topic listed second votes half');
    assert.ok(Math.abs(votes.reduce((sum, vote) => sum + vote, 0) - 1) < 1e-12);
  });

  it('count only the closest few, and say nothing for a message sharing no term with any', () => {
    const nearest = new NearestAccounts(accounts, 4, 3, { count: 1, laterTopicShare: 0.5 });
    const votes = [
      ...nearest.votes(
        unit([
          [0, 1],
          [2, 3],
        ]),
      ),
    ];
    for (const [topic, expected] of [0, 2 / 3, 1 / 3].entries()) assert.ok(Math.abs(votes[topic]! - expected) < 1e-12, `votes ${votes}`);
    assert.deepEqual([...nearest.votes({ ids: [], values: [] })], [0, 0, 0]);
  });
});
