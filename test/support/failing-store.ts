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
  recordFeedbackOnce(): Promise<boolean> {
    return this.fail('recordFeedbackOnce');
  }
  recordPossibleRisk(): Promise<void> {
    return this.fail('recordPossibleRisk');
  }
  recordDangerConfirmed(): Promise<void> {
    return this.fail('recordDangerConfirmed');
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
  createLeadRequest(): Promise<void> {
    return this.fail('createLeadRequest');
  }
  getLeadRequest(): Promise<undefined> {
    return this.fail('getLeadRequest');
  }
  activeLeadRequest(): Promise<undefined> {
    return this.fail('activeLeadRequest');
  }
  setLeadRequestPost(): Promise<void> {
    return this.fail('setLeadRequestPost');
  }
  deleteLeadRequest(): Promise<void> {
    return this.fail('deleteLeadRequest');
  }
  takeLeadRequest(): Promise<boolean> {
    return this.fail('takeLeadRequest');
  }
  closeLeadRequest(): Promise<boolean> {
    return this.fail('closeLeadRequest');
  }
  claimOverdueLeadRequests(): Promise<never[]> {
    return this.fail('claimOverdueLeadRequests');
  }
  getChannelReference(): Promise<undefined> {
    return this.fail('getChannelReference');
  }
  setChannelReference(): Promise<void> {
    return this.fail('setChannelReference');
  }
  report(): Promise<StoreReport> {
    return this.fail('report');
  }
  async close(): Promise<void> {}
}
