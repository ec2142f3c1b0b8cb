import type { RecordStore, StoreReport } from '../../src/storage/record-store.js';

/** A record store whose every call fails, as a locked disk or an unreachable database would. */
export class FailingStore implements RecordStore {
  readonly kind = 'failing';
  readonly calls: string[] = [];

  private fail(what: string): Promise<never> {
    this.calls.push(what);
    return Promise.reject(new Error(`store unavailable for the test (${what})`));
  }

  recordFeedback(): Promise<void> {
    return this.fail('recordFeedback');
  }
  recordQuestion(): Promise<void> {
    return this.fail('recordQuestion');
  }
  recordUnanswered(): Promise<void> {
    return this.fail('recordUnanswered');
  }
  getArea(): Promise<undefined> {
    return this.fail('getArea');
  }
  setArea(): Promise<void> {
    return this.fail('setArea');
  }
  pruneExpired(): Promise<number> {
    return this.fail('pruneExpired');
  }
  report(): Promise<StoreReport> {
    return this.fail('report');
  }
  async close(): Promise<void> {}
}
