/** An account as the ranker's features read it (unit length), with the topics it was labelled with, best first. */
export interface LabelledFeatures {
  ids: number[];
  values: number[];
  topics: number[];
}

export interface NearestAccountsSettings {
  /** How many of the closest accounts vote. */
  count: number;
  /** A topic listed after the first (acceptable, not best) votes with this share of the account's say. */
  laterTopicShare: number;
}

/**
 * The labelled accounts closest to a message, voting for their topics. A softmax over words learns
 * what each topic's accounts have in common; some stories are told in ways only a few accounts
 * share (a coach's "he's been chatting to a 17 year old on Fortnite who keeps giving him V-Bucks"),
 * and the accounts themselves remember those. Closeness is the cosine of the ranker's features; each
 * account's vote is its closeness squared, so the closest count most.
 */
export class NearestAccounts {
  /** For each feature column, the accounts that have it and its value in each. */
  private readonly postings: Array<{ accounts: Int32Array; values: Float32Array }>;
  private readonly topics: number[][];

  constructor(
    accounts: readonly LabelledFeatures[],
    columnCount: number,
    private readonly topicCount: number,
    private readonly settings: NearestAccountsSettings,
  ) {
    this.topics = accounts.map((account) => account.topics);
    const lengths = new Int32Array(columnCount);
    for (const account of accounts) for (const id of account.ids) lengths[id]!++;
    this.postings = Array.from(lengths, (length) => ({ accounts: new Int32Array(length), values: new Float32Array(length) }));
    const filled = new Int32Array(columnCount);
    accounts.forEach((account, accountIndex) => {
      account.ids.forEach((id, at) => {
        const posting = this.postings[id]!;
        posting.accounts[filled[id]!] = accountIndex;
        posting.values[filled[id]!] = account.values[at]!;
        filled[id]!++;
      });
    });
  }

  /** Each topic's share of the closest accounts' votes (all zero when no account shares a term with the message). */
  votes(features: { ids: number[]; values: number[] }): Float64Array {
    const closeness = new Float64Array(this.topics.length);
    features.ids.forEach((id, at) => {
      const posting = this.postings[id];
      if (!posting) return;
      const value = features.values[at]!;
      for (let index = 0; index < posting.accounts.length; index++) closeness[posting.accounts[index]!]! += value * posting.values[index]!;
    });
    const closest: number[] = [];
    closeness.forEach((similarity, account) => {
      if (similarity > 0) closest.push(account);
    });
    closest.sort((a, b) => closeness[b]! - closeness[a]! || a - b);
    const votes = new Float64Array(this.topicCount);
    let total = 0;
    for (const account of closest.slice(0, this.settings.count)) {
      const say = closeness[account]! * closeness[account]!;
      this.topics[account]!.forEach((topic, rank) => {
        const vote = say * (rank === 0 ? 1 : this.settings.laterTopicShare);
        votes[topic]! += vote;
        total += vote;
      });
    }
    if (total > 0) for (let topic = 0; topic < votes.length; topic++) votes[topic]! /= total;
    return votes;
  }
}
