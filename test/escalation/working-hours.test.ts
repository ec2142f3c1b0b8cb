import assert from 'node:assert/strict';
import { addWorkingHours, ukTimeText, workingMinutesBetween } from '../../src/escalation/working-hours.js';

const at = (iso: string) => new Date(iso);

describe('working hours (Monday to Friday, UK time)', () => {
  it('adds hours within one working day', () => {
    // Tuesday 24 November 2026, 10:00 GMT.
    assert.equal(addWorkingHours(at('2026-11-24T10:00:00Z'), 2).toISOString(), '2026-11-24T12:00:00.000Z');
  });

  it('carries what is left of the day over to the next working morning', () => {
    // 16:00 on Tuesday: one hour today, one hour from 09:00 on Wednesday.
    assert.equal(addWorkingHours(at('2026-11-24T16:00:00Z'), 2).toISOString(), '2026-11-25T10:00:00.000Z');
  });

  it('skips the weekend', () => {
    // 16:30 on Friday 27 November: 30 minutes on Friday, 90 on Monday 30 November.
    assert.equal(addWorkingHours(at('2026-11-27T16:30:00Z'), 2).toISOString(), '2026-11-30T10:30:00.000Z');
    // Saturday counts nothing: Monday 09:00 + 2 hours.
    assert.equal(addWorkingHours(at('2026-11-28T11:00:00Z'), 2).toISOString(), '2026-11-30T11:00:00.000Z');
  });

  it('starts the clock at the start of the day for a request made before it', () => {
    assert.equal(addWorkingHours(at('2026-11-24T06:15:00Z'), 2).toISOString(), '2026-11-24T11:00:00.000Z');
  });

  it('counts in UK time during British Summer Time', () => {
    // Wednesday 10 June 2026, 16:00 BST (15:00 UTC): one hour then, one from 09:00 BST (08:00 UTC) on Thursday.
    assert.equal(addWorkingHours(at('2026-06-10T15:00:00Z'), 2).toISOString(), '2026-06-11T09:00:00.000Z');
    // Across the change to GMT (Sunday 25 October 2026): Friday 16:00 BST to Monday 10:00 GMT.
    assert.equal(addWorkingHours(at('2026-10-23T15:00:00Z'), 2).toISOString(), '2026-10-26T10:00:00.000Z');
  });

  it('follows a configured working day', () => {
    const schoolDay = { startMinute: 8 * 60 + 30, endMinute: 16 * 60 + 30 };
    assert.equal(addWorkingHours(at('2026-11-24T15:30:00Z'), 2, schoolDay).toISOString(), '2026-11-25T09:30:00.000Z');
  });

  it('measures working minutes between two moments, leaving out nights and weekends', () => {
    assert.equal(workingMinutesBetween(at('2026-11-24T10:00:00Z'), at('2026-11-24T10:25:00Z')), 25);
    // Friday 16:55 to Monday 09:05: five minutes on each side.
    assert.equal(workingMinutesBetween(at('2026-11-27T16:55:00Z'), at('2026-11-30T09:05:00Z')), 10);
    assert.equal(workingMinutesBetween(at('2026-11-28T10:00:00Z'), at('2026-11-29T10:00:00Z')), 0);
    assert.equal(workingMinutesBetween(at('2026-11-24T12:00:00Z'), at('2026-11-24T10:00:00Z')), 0);
  });

  it('agrees with itself: adding N hours then measuring gives N hours', () => {
    for (const start of ['2026-03-27T15:10:00Z', '2026-03-30T07:00:00Z', '2026-12-24T16:59:00Z', '2026-07-04T12:00:00Z']) {
      for (const hours of [0.25, 2, 7.5, 40]) {
        const due = addWorkingHours(at(start), hours);
        assert.equal(workingMinutesBetween(at(start), due), hours * 60, `${start} + ${hours}`);
      }
    }
  });

  it('names a moment in UK time', () => {
    assert.equal(ukTimeText(at('2026-06-10T13:05:00Z')), '14:05 on Wednesday 10 June 2026');
    assert.equal(ukTimeText(at('2026-11-24T09:00:00Z')), '09:00 on Tuesday 24 November 2026');
  });
});
