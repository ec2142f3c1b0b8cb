import assert from 'node:assert/strict';
import { renderPlainText } from '../../src/render/plain-text.js';
import { realEngine } from '../support/engine.js';

/** Missing a real emergency is the worst failure the bot can have; a false alarm is the second worst. */
describe('immediate-risk detection', () => {
  const engine = realEngine();

  const emergencies = [
    'child at immediate risk',
    'emergency',
    'EMERGANCY!!',
    'imediate danger to a pupil',
    'a 13 year old is going to meet an adult from instagram this evening',
    'shes meeting a man she met on snapchat after school today',
    'boy has gone to meet someone he met on roblox',
    'pupil says she wants to die after her pictures were shared',
    'student is suicidal after being sextorted',
    'he said he is going to kill himself tonight',
    'she is self harming right now because of the messages',
    'someone online is threatening to come to the childs house tonight',
    'child being abused on livestream now',
    'boy missing, last seen talking to a man on xbox',
    'year 9 girl has run away with an older guy from tiktok',
    'not sure if urgent but a 12 year old is meeting an adult from discord right now',
    'child in danger',
    'hes outside her house now and she is terrified',
    'year 7 says her online bf is waiting for her at the park right now',
    "she's on a train to london to meet a guy from tiktok",
    'y8 boy has posted a video saying goodbye to everyone',
    'boy has been stabbed after a row on snapchat',
    'she was just sent a message saying they know where she lives and are coming',
    'the lad said the group chat know where he lives and are coming round tonight to sort him out',
    'a child is about to be picked up by an adult she met on discord',
    'girl 13 is at a mans flat she met on snapchat and isnt answering her phone',
    // "$soon" as one phrase of a group: the weapon signal fires on "tomorrow" from the shared list.
    'boy says he has a machete and will bring it tomorrow',
    'pls help child being groomed and meeting him in 20 mins',
    'kid being attacked outside the school gates rn',
    "13 year old hasn't been seen since yesterday, her snap location shows a different city",
    // The broad net: a word of danger and a word of "now", in words no specific signal lists.
    "a year 11 has just texted 'goodbye everyone, sorry'",
    'a girl has been sold for sex by people she met online and is with them now',
    'child told me a man from online is at her front door',
    "a 15 year old has posted that she's taken 30 paracetamol",
    'someone has posted they will shoot up the school tomorrow',
    "a boy in year 9 just told me his mum's partner hits him and he's scared to go home tonight",
    'child says she was raped last night by someone she met online',
    'child is screaming on a video call and we can hear a man shouting',
    "student is being chased by a group who say they'll stab him",
    "child posted 'this is my last day' on snapchat",
    'a stranger has grabbed a pupil and pushed her into a car',
  ];
  for (const question of emergencies) {
    it(`calls 999 first for "${question}"`, () => {
      const answer = engine.answer(question);
      assert.equal(answer.kind, 'emergency', `${answer.kind} ${answer.topicId}`);
      assert.equal(answer.emergency, true);
      assert.equal(answer.risk, 'emergency');
      assert.ok(answer.riskReason && answer.riskReason.length > 10, 'says what raised it');
      assert.match(answer.actions[0]!, /999/);
      assert.equal(answer.contacts[0]?.phone, '999');
    });
  }

  // Threats whose timing is unclear: at least the "Is a child in danger right now? If so, call 999 now" question first.
  const possibleEmergencies = ['man threatening to hurt a year 10 girl if she does not send more pics'];
  for (const question of possibleEmergencies) {
    it(`asks first whether a child is in danger now for "${question}"`, () => {
      const answer = engine.answer(question);
      assert.notEqual(answer.risk, 'none');
      assert.match(renderPlainText(answer).split('\n')[0]!, /999/);
    });
  }

  const notEmergencies = [
    'not urgent, but what is the law on upskirting',
    'no immediate risk, two pupils sharing nudes',
    'is it an offence for an adult to arrange to meet a child after one conversation',
    'a child is watching self harm videos on tiktok',
    'what is the online safety act offence of encouraging self harm',
    'we have a strategy meeting today about a child',
    'threatening communications offence',
    'does stop it now have a live chat for people worried about abuse',
    'boy keeps getting new trainers and cash and is going missing, think hes running drugs',
    'the account is following her on every app',
    'our school trip on the bus to meet another school',
    'what should we teach about people who say goodbye messages online',
    'a video of a boy being stabbed is being shared around year 9',
    'girl went missing last year after meeting someone online, how do we support her now',
    'what happens if I phone 999 for an online concern that isnt urgent',
    'how do i find a missing document on sharepoint',
    'cant find a good resource on sexting for year 8',
    'we need to discuss this asap at the safeguarding meeting',
    'pupils sharing drill music videos with knives',
    'a pupil told me today that she was abused online by an older boy a few months ago',
    'pupils are now sharing a rape joke meme',
    'girl is self harming and we have a plan in place, how can online safety help',
    'she takes her tablets every morning and is fine now',
    "boy was beaten up and it was filmed and shared, he's ok now",
    'year 6 girl got a message from a stranger today asking for pics, she didnt reply',
    'missing children and online grooming',
    'online abuse happening to a child',
    'teenagers meeting up with people from the internet',
    "it's my last day as DSL, who takes over",
    // "rn" and "atm" say when, not what: alone they are no alarm.
    'cant talk rn, whats the lado number',
    'atm we use a filtering system, is it enough',
    // A figure of speech the writer says is one, and an anonymised case told for training: deciding signals that fired on them before.
    'she is scared her dad will kill her when he sees the photo (not literally, she is fine and at her aunts)',
    'anonymised example for our DSL briefing: a girl was sent gifts to do sexual things on camera for viewers; police and social care acted and she is well supported',
    // "her dad's picking her up" reads as "dads picking her up": a parent collecting, not an adult from online.
    "a man on roblox asked her for photos, she did not send any and her dad's picking her up after class",
    // "knows where he lives" and a "now" many words apart: the knows-where-child-is signal needs them near each other.
    'last week he sent a goodbye message and went missing, police found him at his nans and he is safe now with a plan',
    'a boy in year 8 told us a player on his game knows where he lives because he posted his street in a chat months ago; we helped him change his settings, told his mum and reported the account to the platform, and now he is back to his usual self',
  ];
  for (const question of notEmergencies) {
    it(`does not raise an alarm for "${question}"`, () => {
      const answer = engine.answer(question);
      assert.notEqual(answer.kind, 'emergency');
      assert.equal(answer.emergency, false);
      assert.notEqual(answer.risk, 'emergency');
    });
  }

  it('shows the relevant guidance beneath the 999 line', () => {
    const answer = engine.answer('a 14 year old is being sextorted and says she wants to die');
    assert.equal(answer.kind, 'emergency');
    assert.equal(answer.topicId, 'sextortion');
    assert.ok(answer.actions.length > 1);
  });

  it('cannot be outscored: an exact topic phrase plus a danger signal is still an emergency', () => {
    const answer = engine.answer('report remove - she is being abused on live stream right now');
    assert.equal(answer.kind, 'emergency');
  });

  it('gives every reply a risk band, and the emergency flag only to the emergency band', () => {
    for (const question of ['hello', 'who do I call for advice', 'qwertyuiop', 'county lines', 'child in immediate danger']) {
      const answer = engine.answer(question);
      assert.ok(['emergency', 'possible', 'none'].includes(answer.risk), question);
      assert.equal(answer.emergency, answer.risk === 'emergency', question);
    }
  });

  it('answers a question about emergencies with the guidance, without raising an alarm', () => {
    const answer = engine.answer('when should i call 999');
    assert.equal(answer.risk, 'none');
    assert.equal(answer.topicId, 'immediate-risk');
    assert.match(answer.actions.join(' '), /999/);
  });

  it('decides on a goodbye from a child who cannot be reached, however calm the account before it, and says why', () => {
    const answer = engine.answer(
      'Youth club leader. Wanted to ask about our photo consent forms and the new filtering on the club laptops. ' +
        'Separately one of our regulars, a lad of 15, had a rough few months with a group chat that turned on him, dealt with ' +
        'through school and his mum in the spring, and he seemed much better over the summer. Tonight he posted on his story ' +
        "that he won't be here tomorrow and nobody knows where he is.",
    );
    assert.equal(answer.risk, 'emergency');
    assert.match(answer.riskReason ?? '', /goodbye.*cannot now be found or reached/);
  });

  it('reads goodbye letters and "won\'t be here by" as a goodbye, and says so', () => {
    const answer = engine.answer(
      "GP here, wanted to check the referral route for sextortion in under 18s. A 17 year old told me on a call about sleep that he has been paying someone on Instagram. He said he has written letters for his mum and won't be here by the weekend, then hung up and isn't answering.",
    );
    assert.equal(answer.risk, 'emergency');
    assert.match(answer.riskReason ?? '', /goodbye.*cannot now be found or reached/);
  });

  it('raises the emergency band for a plain emergency in words no signal lists', () => {
    const answer = engine.answer('a lad from her online game is sat in a car outside her house waiting for her to come out');
    assert.equal(answer.risk, 'emergency');
    assert.match(answer.riskReason ?? '', /\w/);
  });
});
