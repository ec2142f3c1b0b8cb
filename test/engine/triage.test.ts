import assert from 'node:assert/strict';
import { realEngine } from '../support/engine.js';

describe('"I have a concern" triage', () => {
  const engine = realEngine();
  const now = new Date('2026-11-24T11:00:00Z');

  it('starts from "I have a concern" and "what should I do", but not from a specific question', () => {
    assert.equal(engine.answer('I have a concern').startsTriage, true);
    assert.equal(engine.answer('what should I do?').startsTriage, true);
    assert.equal(engine.answer('what should I do about sexting').startsTriage, undefined);
    const urgent = engine.answer('I have a concern, a boy is missing after meeting a man from xbox');
    assert.equal(urgent.kind, 'emergency');
    assert.equal(urgent.startsTriage, undefined);
  });

  it('follows the procedure: immediate risk, staff, what it is about, how serious, summary', () => {
    const steps = [engine.triage({}, { now })!];
    for (const pick of [1, 1, 0, 2]) steps.push(engine.triage(steps.at(-1)!.choices[pick]!.state, { now })!);
    assert.deepEqual(
      steps.map((step) => step.step),
      ['immediate-risk', 'involves-staff', 'about', 'seriousness', 'summary'],
    );
    const summary = steps.at(-1)!;
    assert.equal(summary.emergencyFirst, false);
    assert.equal(summary.chosen.length, 4);
    const answer = summary.summary!;
    assert.ok(answer.procedures.some((procedure) => procedure.id === 'sharing-nudes-education-guidance'));
    assert.ok(answer.procedures.some((procedure) => procedure.id === 'providing-early-help'));
    assert.ok(answer.actions.length > 0 && answer.actions.length <= 10);
    assert.match(answer.source.lastUpdatedText, /14 March 2025/);
  });

  it('puts 999 first after "yes, at immediate risk", and in the summary', () => {
    const afterYes = engine.triage({ r: 'y' }, { now })!;
    assert.equal(afterYes.emergencyFirst, true);
    const summary = engine.triage({ r: 'y', s: 'y', a: 'grooming', l: 'significant' }, { now })!;
    assert.equal(summary.summary!.kind, 'emergency');
    assert.match(summary.summary!.actions[0]!, /999/);
    assert.ok(summary.summary!.procedures.some((procedure) => procedure.id === 'allegations-against-staff'));
    assert.ok(summary.summary!.procedures.some((procedure) => procedure.id === 'making-a-referral'));
  });

  it('offers the consultation lines and the thresholds document when unsure of the threshold', () => {
    const answer = engine.triage({ r: 'n', s: 'n', a: 'other', l: 'unsure' }, { now })!.summary!;
    const ids = answer.contacts.map((contact) => contact.id);
    assert.ok(ids.includes('starting-point') && ids.includes('derby-city-consultation-line'));
    assert.ok(answer.procedures.some((procedure) => procedure.id === 'thresholds-document'));
  });

  it('goes back one step and starts again from any step', () => {
    const seriousness = engine.triage({ r: 'n', s: 'n', a: 'cybercrime' }, { now })!;
    assert.deepEqual(seriousness.back, { r: 'n', s: 'n' });
    assert.deepEqual(seriousness.restart, {});
    assert.equal(engine.triage(seriousness.back!, { now })!.step, 'about');
    assert.equal(engine.triage({}, { now })!.back, undefined);
  });

  it('refuses states the cards could not have produced', () => {
    assert.equal(engine.triage({ a: 'nudes' }, { now }), undefined);
    assert.equal(engine.triage({ r: 'n', s: 'n', a: 'not-a-choice' }, { now }), undefined);
  });
});
