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

  it('gives a summary consistent with the answers: no 999 step after "No", each step once, no contradiction', () => {
    for (const about of engine.pack.triage.about.choices.map((choice) => choice.id)) {
      for (const level of engine.pack.triage.seriousness.choices.map((choice) => choice.id)) {
        for (const staff of ['y', 'n'] as const) {
          const summary = engine.triage({ r: 'n', s: staff, a: about, l: level }, { now })!.summary!;
          const where = `${about}/${level}/${staff}`;
          assert.equal(summary.kind, 'answer', where);
          assert.ok(!summary.actions.some((action) => /\b999\b/.test(action)), `${where}: ${summary.actions.join(' | ')}`);
          assert.ok(!summary.contacts.some((contact) => contact.phone === '999'), where);
          const designated = summary.actions.filter((action) => /designated or named/i.test(action));
          assert.ok(designated.length <= 1, `${where}: ${designated.join(' | ')}`);
          const doNotCopy = summary.actions.filter((action) => /do not copy/i.test(action));
          assert.ok(doNotCopy.length <= 1, `${where}: ${doNotCopy.join(' | ')}`);
          assert.ok(
            !summary.actions.some((action) => /^Do not view, /.test(action)),
            `${where}: "Do not view" beside "unless there is a good and clear reason"`,
          );
        }
      }
    }
  });

  it('makes the consultation line for your area a step when the threshold is unclear', () => {
    const county = engine.triage({ r: 'n', s: 'n', a: 'nudes', l: 'unsure' }, { now, area: 'derbyshire' })!.summary!;
    const step = county.actions.find((action) => /threshold/.test(action));
    assert.match(step ?? '', /Starting Point \(Derbyshire\) on 01629 535 353 \(Monday to Friday from 10am to 4pm\)/);
    assert.doesNotMatch(step ?? '', /07812/);
    const unknown = engine.triage({ r: 'n', s: 'n', a: 'nudes', l: 'unsure' }, { now })!.summary!;
    assert.match(unknown.actions.find((action) => /threshold/.test(action)) ?? '', /01629 535 353.*07812 300 329/);
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
