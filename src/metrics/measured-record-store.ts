import type { RecordStore, StoreReport } from '../storage/record-store.js';
import type { Metrics } from './metrics.js';

/** A record store whose failures are counted for /metrics, then passed on unchanged. */
export class MeasuredRecordStore implements RecordStore {
  constructor(
    private readonly store: RecordStore,
    private readonly metrics: Metrics,
  ) {}

  get kind(): string {
    return this.store.kind;
  }

  recordFeedback(...args: Parameters<RecordStore['recordFeedback']>): Promise<void> {
    return this.counted('recordFeedback', () => this.store.recordFeedback(...args));
  }
  recordFeedbackOnce(...args: Parameters<RecordStore['recordFeedbackOnce']>): Promise<boolean> {
    return this.counted('recordFeedbackOnce', () => this.store.recordFeedbackOnce(...args));
  }
  recordPossibleRisk(...args: Parameters<RecordStore['recordPossibleRisk']>): Promise<void> {
    return this.counted('recordPossibleRisk', () => this.store.recordPossibleRisk(...args));
  }
  recordDangerConfirmed(...args: Parameters<RecordStore['recordDangerConfirmed']>): Promise<void> {
    return this.counted('recordDangerConfirmed', () => this.store.recordDangerConfirmed(...args));
  }
  recordQuestion(...args: Parameters<RecordStore['recordQuestion']>): Promise<void> {
    return this.counted('recordQuestion', () => this.store.recordQuestion(...args));
  }
  recordUnanswered(...args: Parameters<RecordStore['recordUnanswered']>): Promise<void> {
    return this.counted('recordUnanswered', () => this.store.recordUnanswered(...args));
  }
  getArea(...args: Parameters<RecordStore['getArea']>): ReturnType<RecordStore['getArea']> {
    return this.counted('getArea', () => this.store.getArea(...args));
  }
  setArea(...args: Parameters<RecordStore['setArea']>): Promise<void> {
    return this.counted('setArea', () => this.store.setArea(...args));
  }
  pruneExpired(today: string): Promise<number> {
    return this.counted('pruneExpired', () => this.store.pruneExpired(today));
  }
  createLeadRequest(...args: Parameters<RecordStore['createLeadRequest']>): Promise<void> {
    return this.counted('createLeadRequest', () => this.store.createLeadRequest(...args));
  }
  getLeadRequest(...args: Parameters<RecordStore['getLeadRequest']>): ReturnType<RecordStore['getLeadRequest']> {
    return this.counted('getLeadRequest', () => this.store.getLeadRequest(...args));
  }
  activeLeadRequest(...args: Parameters<RecordStore['activeLeadRequest']>): ReturnType<RecordStore['activeLeadRequest']> {
    return this.counted('activeLeadRequest', () => this.store.activeLeadRequest(...args));
  }
  setLeadRequestPost(...args: Parameters<RecordStore['setLeadRequestPost']>): Promise<void> {
    return this.counted('setLeadRequestPost', () => this.store.setLeadRequestPost(...args));
  }
  deleteLeadRequest(...args: Parameters<RecordStore['deleteLeadRequest']>): Promise<void> {
    return this.counted('deleteLeadRequest', () => this.store.deleteLeadRequest(...args));
  }
  takeLeadRequest(...args: Parameters<RecordStore['takeLeadRequest']>): Promise<boolean> {
    return this.counted('takeLeadRequest', () => this.store.takeLeadRequest(...args));
  }
  closeLeadRequest(...args: Parameters<RecordStore['closeLeadRequest']>): Promise<boolean> {
    return this.counted('closeLeadRequest', () => this.store.closeLeadRequest(...args));
  }
  claimOverdueLeadRequests(
    ...args: Parameters<RecordStore['claimOverdueLeadRequests']>
  ): ReturnType<RecordStore['claimOverdueLeadRequests']> {
    return this.counted('claimOverdueLeadRequests', () => this.store.claimOverdueLeadRequests(...args));
  }
  getChannelReference(...args: Parameters<RecordStore['getChannelReference']>): ReturnType<RecordStore['getChannelReference']> {
    return this.counted('getChannelReference', () => this.store.getChannelReference(...args));
  }
  setChannelReference(...args: Parameters<RecordStore['setChannelReference']>): Promise<void> {
    return this.counted('setChannelReference', () => this.store.setChannelReference(...args));
  }
  report(): Promise<StoreReport> {
    return this.counted('report', () => this.store.report());
  }
  close(): Promise<void> {
    return this.store.close();
  }

  private async counted<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.metrics.storeFailed(this.store.kind, operation);
      throw error;
    }
  }
}
