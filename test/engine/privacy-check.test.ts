import assert from 'node:assert/strict';
import { realEngine } from '../support/engine.js';

describe('privacy check', () => {
  const engine = realEngine();

  const personal: Array<[string, string]> = [
    ['a girl called Jessamyn has been sharing nudes', 'name'],
    ['pupil named Tyler in year 8', 'name'],
    ['his mum says his number is 07700 900123', 'phone number'],
    ['her email is someone.child@example.com', 'email address'],
    ['he lives near DE22 1AB', 'postcode'],
    ['dob 12/03/2011', 'date of birth'],
    ['born on 3rd May 2012', 'date of birth'],
    ['she lives at 14 Station Road', 'address'],
  ];
  for (const [text, kind] of personal) {
    it(`spots a ${kind} in "${text}"`, () => {
      const finding = engine.checkPrivacy(text);
      assert.equal(finding.containsPersonalDetails, true);
      assert.ok(finding.kinds.includes(kind as never), finding.kinds.join(', '));
    });
  }

  for (const text of [
    'two pupils have been sharing nudes',
    'I called the police and Starting Point',
    'is 01629 535 353 the right number for Starting Point',
    'what is the email for the cyber team, cyber@derbyshire.police.uk',
    'talk to the named professional for safeguarding',
    'a game called Roblox',
    'KS1 and KS2 online safety inputs',
  ]) {
    it(`does not flag "${text}"`, () => {
      assert.equal(engine.checkPrivacy(text).containsPersonalDetails, false, engine.checkPrivacy(text).kinds.join(', '));
    });
  }

  it('redacts names, numbers, emails, postcodes and dates but keeps the question', () => {
    const redacted = engine.redact('a girl called Jessamyn (dob 12/03/2011, 07700 900123, jess@example.com, DE22 1AB) is sharing nudes');
    assert.doesNotMatch(redacted, /Jessamyn|12\/03\/2011|07700|jess@example|DE22/);
    assert.match(redacted, /\[name\]/);
    assert.match(redacted, /sharing nudes/);
  });

  it('takes only the date after "dob" or "born", not the words that follow it', () => {
    assert.equal(engine.redact('dob 12/06/2010: sextortion'), '[date]: sextortion');
    assert.equal(engine.redact('born on 3rd May 2012 and now being bullied'), '[date] and now being bullied');
    assert.equal(engine.redact('d.o.b. 4th of June, sexting'), '[date], sexting');
  });
});
