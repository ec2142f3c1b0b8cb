import assert from 'node:assert/strict';
import { openingStatus } from '../../src/engine/opening-hours.js';
import type { OpeningPeriod } from '../../src/knowledge/pack-types.js';
import { realEngine } from '../support/engine.js';

const weekdays10to4: OpeningPeriod[] = [
  { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], opens: '10:00', closes: '16:00' },
];
const status = (iso: string) => openingStatus(weekdays10to4, new Date(iso), 'Europe/London');

describe('opening hours (Europe/London)', () => {
  it('is open on a weekday morning', () => {
    assert.deepEqual(status('2026-11-24T10:30:00Z'), { open: true, text: 'Open now, until 4pm' });
  });

  it('is closed before opening, and says it opens today', () => {
    assert.deepEqual(status('2026-11-24T09:15:00Z'), { open: false, text: 'Closed, opens today at 10am' });
  });

  it('is closed on a weekday evening, and opens tomorrow', () => {
    assert.deepEqual(status('2026-11-24T18:00:00Z'), { open: false, text: 'Closed, opens tomorrow at 10am' });
  });

  it('is closed at exactly closing time', () => {
    assert.equal(status('2026-11-24T16:00:00Z').open, false);
  });

  it('is closed on Friday evening and Saturday, and opens on Monday', () => {
    assert.deepEqual(status('2026-11-27T17:00:00Z'), { open: false, text: 'Closed, opens Monday at 10am' });
    assert.deepEqual(status('2026-11-28T11:00:00Z'), { open: false, text: 'Closed, opens Monday at 10am' });
  });

  it('follows British Summer Time across the March clock change', () => {
    // Clocks went forward on Sunday 29 March 2026. 09:30 UTC is 9:30am GMT before, 10:30am BST after.
    assert.equal(status('2026-03-27T09:30:00Z').open, false);
    assert.equal(status('2026-03-30T09:30:00Z').open, true);
    assert.equal(status('2026-03-30T15:30:00Z').open, false);
  });

  it('follows the October clock change back to GMT', () => {
    // Clocks went back on Sunday 25 October 2026. 15:30 UTC is 4:30pm BST before, 3:30pm GMT after.
    assert.equal(status('2026-10-23T15:30:00Z').open, false);
    assert.equal(status('2026-10-26T15:30:00Z').open, true);
    assert.equal(status('2026-10-26T09:30:00Z').open, false);
  });
});

describe('answers that know the time', () => {
  const engine = realEngine();

  it('says the consultation lines are open during opening hours', () => {
    const answer = engine.answer('starting point', { now: new Date('2026-11-24T11:00:00Z') });
    const line = answer.contacts.find((contact) => contact.id === 'starting-point');
    assert.deepEqual(line?.status, { open: true, text: 'Open now, until 4pm' });
    assert.ok(!answer.notices.some((notice) => notice.includes('closed now')));
  });

  it('when the lines are closed, the number to ring says when it opens, on its own line, with no note above the answer', () => {
    const answer = engine.answer('consultation line', { now: new Date('2026-11-28T11:00:00Z') });
    assert.deepEqual(answer.notices, []);
    assert.deepEqual(
      answer.callNow.map((contact) => [contact.id, contact.status?.text]),
      [
        ['starting-point', 'Closed, opens Monday at 10am'],
        ['derby-city-consultation-line', 'Closed, opens Monday at 10am'],
      ],
    );
  });

  it("after an area is chosen, that area's line is the one number to ring and the first contact after 999", () => {
    for (const [area, line] of [
      ['derbyshire', 'starting-point'],
      ['derby-city', 'derby-city-consultation-line'],
    ] as const) {
      for (const question of ['sextortion', 'two pupils have been sharing nudes', 'who can I speak to for advice about thresholds']) {
        const answer = engine.answer(question, { area, now: new Date('2026-11-24T11:00:00Z') });
        assert.deepEqual(
          answer.callNow.map((contact) => contact.id),
          [line],
          question,
        );
        const ids = answer.contacts.map((contact) => contact.id).filter((id) => id !== 'police-emergency');
        assert.equal(ids[0], line, `${question}: ${ids.join(', ')}`);
      }
    }
  });
});
