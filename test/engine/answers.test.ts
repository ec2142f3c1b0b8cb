import assert from 'node:assert/strict';
import { safetyLine } from '../../src/engine/index.js';
import { renderPlainText } from '../../src/render/plain-text.js';
import { realEngine } from '../support/engine.js';

describe('engine answers', () => {
  const engine = realEngine();

  const expected: Array<[string, string]> = [
    ['two pupils have been sharing nudes', 'nudes-sharing'],
    ['can I look at the pic to check what it shows', 'viewing-nude-images'],
    ['will the police prosecute a 14 year old for sexting', 'criminalising-children-nudes'],
    ['LADO', 'allegations-against-staff'],
    ['who is the DSL', 'designated-safeguarding-lead'],
    ['CSE', 'child-exploitation'],
    ['county lines', 'county-lines'],
    ['KCSIE online safety', 'keeping-children-safe-in-education'],
    ['starting point', 'starting-point'],
    ['upskirting', 'upskirting'],
    ['report child sexual abuse material', 'internet-watch-foundation'],
    ['refferal to social care', 'making-a-referral'],
    // Jargon of the field carries a question padded with everyday words the pack never uses.
    ['how should i speak to a child who has been sextorted so they dont feel ashamed', 'sextortion'],
    // Jargon counts even where the pack uses it everywhere.
    ['dsl is off sick who do i go to', 'designated-safeguarding-lead'],
    // The closest topic shares one loose word ("disclosed"); the runner-up shares two telling ones.
    ['yp disclosed sexting with an adult', 'sexual-communication-law'],
    ['what does CO:RE stand for', 'core-classification'],
  ];
  for (const [question, topicId] of expected) {
    it(`answers "${question}" with ${topicId}`, () => {
      const answer = engine.answer(question);
      assert.equal(answer.kind, 'answer', `${answer.kind}: ${answer.alternatives.map((a) => a.id).join(', ')}`);
      assert.equal(answer.topicId, topicId);
      assert.ok(answer.score > 0 && answer.score <= 1);
    });
  }

  describe('long accounts', () => {
    const background =
      'I work in the admissions office of a large secondary school and I have been in post for about six years now, mostly dealing with transfers, uniform queries, free school meals forms, the bus passes for the villages and the seating plans for the exams in the sports hall, which always take far longer than anyone expects, and this term we have also been covering the reception desk because of staff sickness, so I see most of the parents who come in.';

    it('reads the whole message: a concern after a hundred words of background is answered', () => {
      const answer = engine.answer(
        `${background} This morning a mum told me a man her daughter met on Snapchat keeps sending her sexual messages and asking for photos.`,
      );
      assert.equal(answer.kind, 'answer', answer.alternatives.map((a) => a.id).join(', '));
      assert.ok(['grooming', 'sexual-communication-law'].includes(answer.topicId!), answer.topicId!);
    });

    it('answers the concern, not the admin question asked before it', () => {
      const answer = engine.answer(
        "Can you give me the number for Starting Point and are they open at the weekend? The reason is a dad told me his 13 year old son is being bullied in the team's group chat by three other lads, calling him names and sharing edited photos of him.",
      );
      assert.equal(answer.topicId, 'cyberbullying');
    });

    it("answers both the service asked about and the concern with the service's number, and a service when that is all that's asked", () => {
      const concern = engine.answer(
        "Can you tell me the opening hours of the Derby City consultation line please? Also I have a question about a young person, 16, whose step-dad has put a tracking app on her phone and reads all her messages, and won't let her see friends, she says he is controlling her and her mum.",
      );
      // Either is a right answer (the learned ranker picks); the card must carry the line asked about either way.
      assert.equal(concern.kind, 'answer');
      assert.ok(['domestic-abuse-16-plus', 'derby-city-consultation-line'].includes(concern.topicId ?? ''), String(concern.topicId));
      assert.ok(
        concern.contacts.some((contact) => contact.id === 'derby-city-consultation-line'),
        'the Derby City line is on the card',
      );
      const service = engine.answer(
        'Hi, can you tell me the opening hours of Starting Point and whether GP practices can call it directly, or does it have to go through our practice safeguarding lead? We are updating the noticeboard in the staff room this week.',
      );
      assert.equal(service.topicId, 'starting-point');
    });

    it('does not let the role a practitioner opens with decide the topic', () => {
      const answer = engine.answer(
        'Scout leader. At camp some of the 13 year olds filmed another boy crying and posted it on TikTok with nasty captions to humiliate him. It has loads of views and he is being bullied about it.',
      );
      assert.notEqual(answer.topicId, 'allegations-against-staff');
    });

    const details = [
      'Re: Kayleigh Morrison (DOB 03/04/2011), Flat 2, 14 Ashbourne Road, DE22 3XX.',
      'Jayden Clarke, Bramble Close, S41 7AB, dob 12/06/2010:',
    ];
    for (const question of ['sextortion', 'a boy in year 9 is being bullied online', 'she has been sending nudes to her boyfriend']) {
      for (const prefix of details) {
        it(`a name, an address, a postcode or a date of birth does not change the answer to "${question}"`, () => {
          const plain = engine.answer(question);
          const named = engine.answer(`${prefix} ${question}`);
          assert.notEqual(named.kind, 'fallback');
          assert.notEqual(named.kind, 'clarify');
          assert.equal(named.topicId, plain.topicId);
        });
      }
    }
  });

  it('offers "did you mean" beside an answer only when it is unsure', () => {
    assert.deepEqual(engine.answer('two pupils have been sharing nudes').alternatives, []);
    assert.deepEqual(engine.answer('sextortion').alternatives, []);
  });

  for (const question of [
    "what's for lunch",
    'how do I reset my password',
    'the printer in the staff room is jammed',
    'how do I change my email signature',
    'best pizza in derby',
    'can you book me a room for the safeguarding meeting',
    'my laptop will not turn on',
    'qwertyuiop',
    'tell me a joke',
  ]) {
    it(`declines the off-topic "${question}"`, () => {
      const answer = engine.answer(question);
      assert.equal(answer.kind, 'fallback');
      assert.match(renderPlainText(answer), /Professionals Online Safety Helpline/);
      assert.equal(answer.contacts[0]?.phone, '999');
    });
  }

  it('tells "not my subject" apart from "I did not understand your concern"', () => {
    const offTopic = engine.answer('how do I reset my email password');
    assert.equal(offTopic.declined, 'off-topic');
    assert.match(renderPlainText(offTopic), /IT service desk/);
    assert.match(offTopic.directAnswer!, /only answer questions about keeping children safe from online harm/);
    assert.notEqual(offTopic.startsTriage, true);

    const concern = engine.answer('a pupil said something odd to me today and I am not sure about it');
    assert.equal(concern.kind, 'fallback');
    assert.equal(concern.declined, 'unmatched-concern');
    assert.deepEqual(
      concern.callNow.map((contact) => contact.id),
      ['starting-point', 'derby-city-consultation-line'],
    );
    assert.match(renderPlainText(concern), /call 999/i);
    assert.notEqual(concern.title, offTopic.title);
  });

  describe('the line shown first', () => {
    const direct: Array<[string, RegExp]> = [
      [
        'should I look at the image?',
        /^No\. Nude or semi-nude images should not be viewed unless there is a good and clear reason to do so/,
      ],
      ['can I screenshot the nude as evidence', /^No\. Viewing, copying, printing, sharing, storing, or saving the imagery/],
      ['will the child get a criminal record', /^Not usually\. .*only be considered in exceptional circumstances\.$/],
      ['is sexting illegal', /^Yes\. Children who share nudes and semi-nudes of themselves, or peers, are breaking the law/],
      ['should we take her phone away', /^Not usually\. .*last resort/],
      [
        'two pupils have been sharing nudes',
        /^Incidents involving sharing nudes and semi-nudes should have an immediate focus on safeguarding children\.$/,
      ],
    ];
    for (const [question, expected] of direct) {
      it(`answers "${question}" directly, in the procedure's words`, () => {
        assert.match(engine.answer(question).directAnswer ?? '', expected);
      });
    }

    it("is never an editor's [bracket] and says which phrasing the question came closest to", () => {
      const answer = engine.answer('should I look at the image?');
      assert.doesNotMatch(answer.directAnswer!, /[[\]]/);
      assert.equal(answer.matchedOn, 'look at the image');
    });
  });

  for (const question of ['hello', 'hi there', 'what can you do', 'help', '']) {
    it(`shows help for "${question}"`, () => {
      assert.equal(engine.answer(question).kind, 'help');
    });
  }

  it('cites the source section and date on every answer', () => {
    const answer = engine.answer('county lines');
    assert.equal(answer.source.version, 'v53');
    assert.equal(answer.source.lastUpdatedText, '14 March 2025');
    assert.ok(answer.source.section);
    assert.equal(answer.safetyLine, safetyLine);
  });

  it("puts the practitioner's own consultation line first", () => {
    const city = engine.answer('who can I speak to for advice about thresholds', { area: 'derby-city' });
    const county = engine.answer('who can I speak to for advice about thresholds', { area: 'derbyshire' });
    const order = (answer: typeof city) =>
      answer.contacts.map((contact) => contact.id).filter((id) => id.includes('derby-city') || id === 'starting-point');
    assert.deepEqual(order(city), ['derby-city-consultation-line', 'starting-point']);
    assert.deepEqual(order(county), ['starting-point', 'derby-city-consultation-line']);
  });

  it('answers a topic chosen by button, and nothing for an unknown id', () => {
    assert.equal(engine.answerTopic('report-remove')?.topicId, 'report-remove');
    assert.equal(engine.answerTopic('immediate-risk')?.kind, 'emergency');
    assert.equal(engine.answerTopic('no-such-topic'), undefined);
  });

  it('offers "did you mean" choices when a question could fit several topics', () => {
    const answer = engine.answer('report');
    assert.ok(answer.kind === 'clarify' || answer.kind === 'answer');
    if (answer.kind === 'clarify') assert.ok(answer.alternatives.length >= 2 && answer.alternatives.length <= 3);
  });

  const awkward: Array<[string, unknown]> = [
    ['empty', ''],
    ['spaces', '    \n\t  '],
    ['huge', 'sexting '.repeat(50_000)],
    ['binary', String.fromCharCode(...Array.from({ length: 2000 }, (_, index) => index % 256))],
    ['control characters', '\u0000\u0007\u001b[31mnudes\u202e\ufeff'],
    ['emoji', '😱😱 📸 🔞'],
    ['markdown', '**bold** [x](https://evil.example) `code` # heading'],
    ['not a string', { toString: () => 'x' }],
  ];
  for (const [label, input] of awkward) {
    it(`never throws on ${label} input and still carries the 999 line`, () => {
      const answer = engine.answer(input as string);
      assert.equal(answer.safetyLine, safetyLine);
      assert.match(renderPlainText(answer), /call 999/i);
    });
  }
});
