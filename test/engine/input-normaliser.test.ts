import assert from 'node:assert/strict';
import { disguise } from '../../src/cli/disguise-text.js';
import { normaliseInput } from '../../src/engine/input-normaliser.js';
import { realEngine } from '../support/engine.js';

describe('cleaning what was typed or pasted', () => {
  it('removes zero-width characters, soft hyphens, byte-order marks and bidirectional controls', () => {
    assert.equal(
      normaliseInput('ki\u200bll hi\u00admself to\u200dnight \ufeffnow \u202emirrored\u202c'),
      'kill himself tonight now mirrored',
    );
  });

  it('decodes character entities, named and numbered, once or twice encoded', () => {
    assert.equal(normaliseInput('imm&#101;diate&nbsp;danger &amp;#107;nife &#x6b;ill'), 'immediate danger knife kill');
  });

  it('turns an out-of-range entity into a replacement character instead of throwing', () => {
    assert.doesNotThrow(() => normaliseInput('a &#99999999; b &#xFFFFFFFFFF; c'));
    assert.match(normaliseInput('a &#99999999; b'), /^a \ufffd b$/);
  });

  it('folds full-width letters, non-breaking spaces, curly quotes and dashes', () => {
    assert.equal(
      normaliseInput('ｄａｎｇｅｒ\u00a0now \u2018quoted\u2019 \u201cdouble\u201d a\u2013b'),
      'danger now \'quoted\' "double" a-b',
    );
  });

  it('leaves plain text as it was', () => {
    const plain = 'What is the number for Starting Point? & is it open now';
    assert.equal(normaliseInput(plain), plain);
  });

  describe('a plain emergency is still caught when invisible or encoded characters are mixed into its words', () => {
    const engine = realEngine();
    const plainEmergencies = [
      'child in immediate danger',
      'he is going to kill himself tonight',
      'a 13 year old is going to meet an adult from instagram this evening',
      'someone online is threatening to come to the childs house tonight',
      'child being abused on livestream now',
      'she has taken an overdose of paracetamol',
    ];
    for (const question of plainEmergencies) {
      it(`"${question}" disguised`, () => {
        const hidden = disguise(question);
        assert.notEqual(hidden, question);
        assert.equal(engine.answer(question).risk, 'emergency', 'the plain message');
        const answer = engine.answer(hidden);
        assert.equal(answer.risk, 'emergency', `disguised as ${JSON.stringify(hidden)}`);
        assert.equal(answer.emergency, true);
      });
    }
  });
});
