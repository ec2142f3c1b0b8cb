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
  /**
   * For each feature column, the accounts that have it and its value in each, one column after
   * another: column c's run is from starts[c] to starts[c + 1].
   */
  private readonly starts: Int32Array;
  private readonly accountOf: Int32Array;
  private readonly valueOf: Float32Array;
  private readonly topics: number[][];

  constructor(
    accounts: readonly LabelledFeatures[],
    columnCount: number,
    private readonly topicCount: number,
    private readonly settings: NearestAccountsSettings,
  ) {
    this.topics = accounts.map((account) => account.topics);
    this.starts = new Int32Array(columnCount + 1);
    for (const account of accounts) for (const id of account.ids) this.starts[id + 1]!++;
    for (let column = 0; column < columnCount; column++) this.starts[column + 1]! += this.starts[column]!;
    this.accountOf = new Int32Array(this.starts[columnCount]!);
    this.valueOf = new Float32Array(this.accountOf.length);
    const next = this.starts.slice(0, columnCount);
    accounts.forEach((account, accountIndex) => {
      account.ids.forEach((id, at) => {
        this.accountOf[next[id]!] = accountIndex;
        this.valueOf[next[id]!] = account.values[at]!;
        next[id]!++;
      });
    });
  }

  /** Each topic's share of the closest accounts' votes (all zero when no account shares a term with the message). */
  votes(features: { ids: number[]; values: number[] }): Float64Array {
    const closeness = new Float64Array(this.topics.length);
    features.ids.forEach((id, at) => {
      if (id < 0 || id + 1 >= this.starts.length) return;
      const value = features.values[at]!;
      for (let index = this.starts[id]!; index < this.starts[id + 1]!; index++)
        closeness[this.accountOf[index]!]! += value * this.valueOf[index]!;
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
