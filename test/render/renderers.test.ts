import assert from 'node:assert/strict';
import type { Reply } from '../../src/conversation/reply.js';
import type { Answer } from '../../src/engine/index.js';
import type { LeadRequestView } from '../../src/escalation/lead-request-view.js';
import { AdaptiveCardRenderer, cardTemplateNames, chooseTemplate } from '../../src/render/adaptive-card/adaptive-card-renderer.js';
import { escapeCardText } from '../../src/render/adaptive-card/card-text.js';
import { renderLeadRequestCard } from '../../src/render/adaptive-card/lead-cards.js';
import { renderAppHome, renderBlockKit } from '../../src/render/block-kit/block-kit-renderer.js';
import { renderLeadRequestMessage } from '../../src/render/block-kit/lead-blocks.js';
import { escapeMrkdwn } from '../../src/render/block-kit/mrkdwn.js';
import { renderPlainText } from '../../src/render/plain-text.js';
import { adaptiveCardProblems, cardTexts, visible999, visibleTexts, visibleWords } from '../support/adaptive-card-check.js';
import { blockKitProblems } from '../support/block-kit-check.js';
import { realEngine } from '../support/engine.js';

const engine = realEngine();
const cards = new AdaptiveCardRenderer();

function notice(title: string): Reply {
  return {
    card: 'notice',
    answer: { ...engine.safety(), title, summary: 'Text.', contacts: [] },
    notice: { title, text: 'Text.' },
    privacyWarning: false,
    showFeedback: false,
  };
}

function reply(answer: Answer, extra: Partial<Reply> = {}): Reply {
  return { card: 'answer', answer, privacyWarning: false, showFeedback: answer.kind === 'answer', ...extra };
}

/** A request to the safeguarding leads in each state it can be shown in. */
const request: LeadRequestView = {
  id: '0123456789abcdef01234567',
  platform: 'teams',
  workspace: 'tenant',
  asker: { id: '29:asker', name: 'Asker *Name* [x](http://y)' },
  topicTitle: 'Sextortion: a child blackmailed over sexual images',
  urgency: 'today',
  askedAt: new Date('2026-11-24T10:00:00Z'),
  state: 'open',
};
const requestStates: Array<[string, LeadRequestView]> = [
  ['open', request],
  [
    'no topic, posted again',
    { ...request, topicTitle: null, repostNote: 'Nobody has taken this within 2 working hours, so it is posted again.' },
  ],
  ['taken', { ...request, state: 'taken', takenBy: { id: 'U0LEAD', name: 'Lead' }, takenAt: new Date('2026-11-24T10:20:00Z') }],
  [
    'closed',
    {
      ...request,
      state: 'closed',
      takenBy: { id: 'U0LEAD', name: 'Lead' },
      takenAt: new Date('2026-11-24T10:20:00Z'),
      closedBy: { id: 'U0LEAD2' },
      closedAt: new Date('2026-11-24T15:00:00Z'),
    },
  ],
  ['superseded', { ...request, supersededNote: 'Posted again: nobody took this within 2 working hours.' }],
];

/** One reply of every kind the bot sends, plus every topic in the pack. */
function everyReply(): Array<[string, Reply]> {
  const replies: Array<[string, Reply]> = engine.pack.topics.map((topic) => [`topic ${topic.id}`, reply(engine.answerTopic(topic.id)!)]);
  replies.push(
    ['emergency', reply(engine.answer('child is being abused on a live stream right now'))],
    [
      'clarify',
      reply({
        ...engine.answer('report'),
        kind: 'clarify',
        alternatives: engine.pack.topics.slice(0, 3).map((topic) => ({ id: topic.id, title: topic.title, score: 0.3 })),
      }),
    ],
    ['fallback (off-topic)', reply(engine.answer('printer is jammed'))],
    ['fallback (unmatched concern)', reply(engine.answer('a pupil said something odd to me today and I am not sure about it'))],
    [
      'possible risk',
      reply(
        { ...engine.answer('sextortion'), risk: 'possible', riskReason: 'These words weighed most: "tonight".' },
        { ref: 'abcdef012345' },
      ),
    ],
    ['help', { card: 'welcome', answer: engine.help(), privacyWarning: false, showFeedback: false }],
    ['safety', reply(engine.safety())],
    [
      'notice',
      {
        card: 'notice',
        answer: { ...engine.safety(), title: 'Thanks', summary: 'Noted.' },
        notice: { title: 'Thanks', text: 'Noted.' },
        privacyWarning: false,
        showFeedback: false,
      },
    ],
    [
      'attachment warning',
      { card: 'attachment-warning', answer: engine.answerTopic('viewing-nude-images')!, privacyWarning: false, showFeedback: false },
    ],
    ['privacy warning', reply(engine.answer('sexting'), { privacyWarning: true })],
    ['ask a lead: the offer on an answer', reply(engine.answer('sexting'), { lead: { step: 'offer', topicId: 'nudes-sharing' } })],
    [
      'ask a lead: the offer on an emergency',
      reply(engine.answer('she has gone to meet a man from snapchat'), { lead: { step: 'offer', topicId: null } }),
    ],
    ['ask a lead: how soon', { ...notice('Ask a safeguarding lead'), lead: { step: 'urgency', topicId: null } }],
    ['ask a lead: what was sent', { ...notice('Sent to your safeguarding leads'), lead: { step: 'sent', request } }],
    [
      'ask a lead: who took it',
      { ...notice('A safeguarding lead will contact you'), lead: { step: 'taken', request: requestStates[2]![1] } },
    ],
  );
  return replies;
}

describe('plain-text renderer', () => {
  it('leads with 999 for an emergency', () => {
    assert.match(renderPlainText(engine.answer('boy missing after meeting a man from xbox')), /^CALL 999 NOW/);
  });

  it('shows actions in order, procedures, contacts with numbers and hours, the 999 line and the source', () => {
    const text = renderPlainText(engine.answerTopic('consultation-lines')!);
    assert.match(text, /What to do:\n1\. /);
    assert.match(text, /01629 535 353 · Monday to Friday from 10am to 4pm/);
    assert.match(text, /07812 300 329 · Monday to Friday 10am to 4pm/);
    assert.match(
      text,
      /If a child is at immediate risk, call 999\.\nSource: Safeguarding Children From Online Harms \(Derby and Derbyshire Safeguarding Children Partnership\), v53, section "[^"]+", last updated 14 March 2025\.$/,
    );
  });
});

describe('plain-text renderer: the same layout, everything shown', () => {
  it('leads a possible-band reply with the direct question, and an emergency with 999 and why', () => {
    const possible = renderPlainText({ ...engine.answer('sextortion'), risk: 'possible' });
    assert.match(possible, /^Is a child in danger right now\? If so, call 999 now\.\n\n/);
    const emergency = renderPlainText(engine.answer('a 13 year old is going to meet an adult from instagram tonight'));
    assert.match(emergency, /^CALL 999 NOW if a child is at immediate risk of harm\.\nWhy: .+\n\n/);
  });

  it('puts the line that answers the question first, then the steps, the number to ring, and "More"', () => {
    const text = renderPlainText(engine.answer('should I look at the image?', { area: 'derbyshire' }));
    const order = ['Should I look at the image?', 'No. Nude or semi-nude images', 'What to do:\n1. ', 'Call ', 'More:\n', 'Source: '];
    const positions = order.map((part) => text.indexOf(part));
    assert.ok(
      positions.every((position, index) => position >= 0 && (index === 0 || position > positions[index - 1]!)),
      positions.join(', '),
    );
  });
});

describe('Adaptive Card renderer', () => {
  it('has a template for every card kind', () => {
    assert.deepEqual([...cardTemplateNames].sort(), [
      'answer',
      'attachment-warning',
      'clarify',
      'emergency',
      'fallback',
      'notice',
      'triage',
      'welcome',
    ]);
  });

  for (const [label, each] of everyReply()) {
    it(`renders a valid card under 28 KB, with the 999 line shown and the source behind "More": ${label}`, () => {
      const rendered = cards.render(each, { privateChatUrl: 'https://teams.microsoft.com/l/chat/0/0?users=28%3Abot' });
      assert.deepEqual(adaptiveCardProblems(rendered.card), [], `template ${rendered.template}`);
      const shown = visibleTexts(rendered.card);
      if (each.answer.emergency) assert.equal(shown[0], 'Call 999 now');
      else
        assert.ok(
          shown.includes('If a child is at immediate risk, call 999.') || shown.some((text) => /call 999/.test(text)),
          shown.join(' | '),
        );
      assert.ok(visible999(rendered.card) <= 2, `${visible999(rendered.card)} times 999: ${shown.join(' | ')}`);
      if (each.card !== 'notice')
        assert.ok(
          cardTexts(rendered.card).some((text) =>
            /^Source: Safeguarding Children From Online Harms .* v53.*last updated 14 March 2025\.$/.test(text),
          ),
        );
      assert.ok(rendered.summary.length > 0 && rendered.summary.length < 300);
    });
  }

  it('puts nothing above the title but the 999 banner or the "is a child in danger right now?" question', () => {
    for (const [label, each] of everyReply()) {
      const body = cards.render(each).card.body as Array<Record<string, unknown>>;
      const first = body[0]!;
      const isTitle = first.type === 'TextBlock' && first.style === 'heading';
      const isBanner = first.type === 'Container' && first.style === 'attention';
      assert.ok(isTitle || isBanner, `${label}: ${JSON.stringify(first).slice(0, 120)}`);
    }
  });

  it('opens a possible-band answer with the direct question and a "Yes, now" button that asks for the emergency card', () => {
    const rendered = cards.render(reply({ ...engine.answer('sextortion'), risk: 'possible' }, { ref: 'abcdef012345' }));
    const [question] = rendered.card.body as Array<{
      style: string;
      items: Array<{ text?: string; actions?: Array<{ title: string; data: unknown; style: string }> }>;
    }>;
    assert.equal(question!.style, 'attention');
    assert.equal(question!.items[0]!.text, 'Is a child in danger right now? If so, call 999 now.');
    const yes = question!.items[1]!.actions![0]!;
    assert.equal(yes.title, 'Yes, now');
    assert.equal(yes.style, 'destructive');
    assert.deepEqual(yes.data, { sa: 1, action: 'danger-now', topicId: 'sextortion', ref: 'abcdef012345' });
  });

  it('says on the emergency card, in a few words, what raised it, escaped', () => {
    const rendered = cards.render(
      reply({ ...engine.answer('child is being abused on a live stream right now'), riskReason: 'A *child* [x](https://e.example)' }),
    );
    assert.ok(cardTexts(rendered.card).includes('Why: A \\*child\\* \\[x\\](https://e.example)'), cardTexts(rendered.card).join(' | '));
  });

  it('offers "I have a concern" on an unmatched concern, and "What I can help with" off the subject', () => {
    const titles = (question: string) =>
      visibleTexts(cards.render(reply(engine.answer(question))).card).filter((text) =>
        ['I have a concern', 'What I can help with'].includes(text),
      );
    assert.deepEqual(titles('a pupil said something odd to me today and I am not sure about it'), ['I have a concern']);
    assert.deepEqual(titles('how do I reset my email password'), ['I have a concern', 'What I can help with']);
  });

  it('shows "Did you mean" only beside an answer the bot is unsure of', () => {
    assert.ok(!visibleTexts(cards.render(reply(engine.answer('sextortion'))).card).includes('Did you mean'));
    const unsure = { ...engine.answer('sextortion'), alternatives: [{ id: 'grooming', title: 'Online grooming', score: 0.4 }] };
    assert.ok(visibleTexts(cards.render(reply(unsure)).card).includes('Did you mean'));
  });

  it('keeps the summary, later steps, key points, procedures, contacts and routes behind "More"', () => {
    const rendered = cards.render(reply(engine.answerTopic('nudes-sharing')!));
    const shown = visibleTexts(rendered.card).join('\n');
    const all = cardTexts(rendered.card).join('\n');
    for (const hidden of [
      'Key points',
      'Procedures and guidance',
      'Who to contact',
      'Where to report',
      'Further steps',
      'Related questions',
    ]) {
      assert.doesNotMatch(shown, new RegExp(hidden));
      assert.match(all, new RegExp(hidden));
    }
    assert.ok(visibleTexts(rendered.card).includes('More'));
  });

  it('acknowledges feedback in a line, without posting the contacts again', () => {
    const notice: Reply = {
      card: 'notice',
      answer: { ...engine.safety(), title: 'Thanks for your feedback', directAnswer: 'Glad it helped.', contacts: [], callNow: [] },
      notice: { title: 'Thanks for your feedback', text: 'Glad it helped.' },
      privacyWarning: false,
      showFeedback: false,
    };
    const rendered = cards.render(notice);
    assert.ok(visibleWords(rendered.card) < 20, visibleTexts(rendered.card).join(' | '));
    assert.doesNotMatch(JSON.stringify(rendered.card), /01629|07812|0344/);
  });

  it('uses the emergency template, with 999 in the attention style at the very top', () => {
    const rendered = cards.render(reply(engine.answer('she has gone to meet a man from snapchat')));
    assert.equal(rendered.template, 'emergency');
    const first = (rendered.card.body as Array<{ style: string; items: Array<{ text: string }> }>)[0]!;
    assert.equal(first.style, 'attention');
    assert.match(first.items[0]!.text, /999/);
  });

  it('shows numbers as tel: links and the opening hours', () => {
    const json = JSON.stringify(cards.render(reply(engine.answerTopic('consultation-lines')!)).card);
    assert.match(json, /\[01629 535 353\]\(tel:01629535353\)/);
    assert.match(json, /Monday to Friday 10am to 4pm/);
  });

  it('groups "who to call" contacts by need behind "More"', () => {
    const rendered = cards.render(reply(engine.answerTopic('who-to-call')!));
    const texts = cardTexts(rendered.card);
    const at = (heading: string) => texts.findIndex((text) => text.startsWith(`**${heading}**`));
    assert.ok(at('Emergency') >= 0 && at('Emergency') < at('Advice'), texts.join(' | '));
  });

  it('chooses the template from the kind of answer', () => {
    assert.equal(chooseTemplate(reply(engine.answer('printer is jammed'))), 'fallback');
    assert.equal(chooseTemplate(reply(engine.answer('hello'))), 'welcome');
  });

  it('escapes markdown so text cannot become formatting or links', () => {
    assert.equal(escapeCardText('**x** [a](http://b) _y_ `z`'), '\\*\\*x\\*\\* \\[a\\](http://b) \\_y\\_ \\`z\\`');
    assert.equal(escapeCardText('1. not a list'), '1\\. not a list');
    assert.equal(escapeCardText('{{DATE(2017-02-14T06:08:39Z,SHORT)}}').includes('{{'), false);
  });
});

describe('Block Kit renderer', () => {
  for (const [label, each] of everyReply()) {
    it(`stays within Block Kit limits and ends with the 999 line: ${label}`, () => {
      const message = renderBlockKit(each, { directMessageUrl: 'https://slack.com/app_redirect?app=A1&team=T1' });
      assert.deepEqual(blockKitProblems(message), []);
      const last = message.blocks.at(-1) as { type: string; elements: Array<{ text: string }> };
      assert.equal(last.type, 'context');
      assert.match(last.elements[0]!.text, /call 999/);
    });
  }

  it('leads with 999 for an emergency', () => {
    const message = renderBlockKit(reply(engine.answer('child being groomed and meeting him tonight')));
    assert.match(JSON.stringify(message.blocks[0]), /Call 999 now/);
    assert.match(message.text, /^CALL 999 NOW/);
  });

  it('asks "Is a child in danger right now?" first on a possible-band reply, with a red "Yes, now" button', () => {
    const message = renderBlockKit(reply({ ...engine.answer('sextortion'), risk: 'possible' }, { ref: 'abcdef012345' }));
    const first = message.blocks[0] as { text: { text: string }; accessory: { text: { text: string }; style: string; value: string } };
    assert.match(first.text.text, /Is a child in danger right now\? If so, call 999 now\./);
    assert.equal(first.accessory.text.text, 'Yes, now');
    assert.equal(first.accessory.style, 'danger');
    assert.deepEqual(JSON.parse(first.accessory.value), { sa: 1, action: 'danger-now', topicId: 'sextortion', ref: 'abcdef012345' });
  });

  it('offers "More" as a button, and draws "More" as a message of its own ending with the source', () => {
    const message = renderBlockKit(reply(engine.answer('sextortion')));
    assert.match(JSON.stringify(message.blocks), /"value":"\{\\"sa\\":1,\\"action\\":\\"more\\",\\"topicId\\":\\"sextortion\\"\}"/);
    const more = renderBlockKit({ card: 'more', answer: engine.answerTopic('sextortion')!, privacyWarning: false, showFeedback: false });
    assert.deepEqual(blockKitProblems(more), []);
    const last = more.blocks.at(-1) as { elements: Array<{ text: string }> };
    assert.match(last.elements[1]!.text, /last updated 14 March 2025/);
    assert.match(JSON.stringify(more.blocks), /Key points/);
  });

  it('keeps the App Home within limits with the pack version', () => {
    const blocks = renderAppHome(engine.help(), engine.pack.identity.packVersion);
    assert.deepEqual(blockKitProblems({ text: 'home', blocks }), []);
  });

  it('escapes &, < and > so nothing becomes a mention, a ping or a link', () => {
    assert.equal(escapeMrkdwn('<!channel> <@U1> <https://x|y> & co'), '&lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt; &amp; co');
  });
});

describe('requests to the safeguarding leads', () => {
  for (const [label, each] of requestStates) {
    it(`renders a valid Teams card and a Slack message within limits: ${label}`, () => {
      const card = renderLeadRequestCard(each);
      assert.deepEqual(adaptiveCardProblems(card), []);
      const entities = (card.msteams as { entities: Array<{ text: string }> }).entities;
      for (const entity of entities) assert.ok(JSON.stringify(card.body).includes(entity.text), `${entity.text} is in the card`);
      assert.doesNotMatch(JSON.stringify(card), /\*Name\*|\[x\]|http:\/\/y/, 'a display name cannot become formatting or a link');
      const message = renderLeadRequestMessage(each);
      assert.deepEqual(blockKitProblems(message), []);
      const buttons = JSON.stringify(message.blocks).match(/"type":"button"/g)?.length ?? 0;
      assert.equal(buttons, each.state === 'closed' || each.supersededNote ? 0 : 1);
    });
  }

  it('puts the offer just before the 999 line and the source, after 999 on an emergency card', () => {
    const card = cards.render(
      reply(engine.answer('she has gone to meet a man from snapchat'), { lead: { step: 'offer', topicId: null } }),
    ).card;
    const body = card.body as Array<{ id?: string; style?: string }>;
    assert.equal(body[0]!.style, 'attention');
    assert.equal(
      body.findIndex((element) => element.id === 'lead-offer'),
      body.length - 2,
    );
  });
});

describe('triage rendering', () => {
  const triageReply = (): Reply => {
    const view = engine.triage({})!;
    return { card: 'triage', answer: engine.help(), triage: view, privacyWarning: false, showFeedback: false };
  };

  it('marks the immediate-risk choice as the danger button in Slack and Teams', () => {
    const message = renderBlockKit(triageReply());
    const buttons = (message.blocks as Array<{ type: string; elements?: Array<{ text: { text: string }; style?: string }> }>)
      .filter((block) => block.type === 'actions')
      .flatMap((block) => block.elements ?? []);
    assert.deepEqual(
      buttons.filter((button) => button.style === 'danger').map((button) => button.text.text),
      [engine.pack.triage.immediateRisk.yes],
    );
    const card = JSON.stringify(cards.render(triageReply()).card);
    assert.match(card, /"style":"destructive"/);
  });

  it('renders every triage step as a valid card and within Block Kit limits', () => {
    for (const state of [
      {},
      { r: 'y' as const },
      { r: 'n' as const, s: 'n' as const },
      { r: 'n' as const, s: 'y' as const, a: 'nudes' },
      { r: 'y' as const, s: 'n' as const, a: 'grooming', l: 'significant' },
    ]) {
      const view = engine.triage(state)!;
      const reply: Reply = {
        card: 'triage',
        answer: view.summary ?? engine.help(),
        triage: view,
        privacyWarning: false,
        showFeedback: false,
      };
      assert.deepEqual(adaptiveCardProblems(cards.render(reply).card), [], JSON.stringify(state));
      assert.deepEqual(blockKitProblems(renderBlockKit(reply)), [], JSON.stringify(state));
    }
  });
});

describe('Adaptive Card rendering reuses cards already expanded', () => {
  it("puts each reply's own ref on its buttons, and a different reply gets a different card", () => {
    const answer = engine.answer('sextortion');
    const first = JSON.stringify(cards.render(reply(answer, { ref: 'aaaaaaaa1111' })).card);
    const second = JSON.stringify(cards.render(reply(answer, { ref: 'bbbbbbbb2222' })).card);
    assert.ok(first.includes('aaaaaaaa1111') && !first.includes('bbbbbbbb2222'));
    assert.ok(second.includes('bbbbbbbb2222') && !second.includes('aaaaaaaa1111'));
    assert.ok(!first.includes('refstandin') && !second.includes('refstandin'), 'the stand-in never reaches a card');
    assert.equal(first.replaceAll('aaaaaaaa1111', 'bbbbbbbb2222'), second, 'otherwise the same card');
    const asking = JSON.stringify(cards.render(reply(answer, { ref: 'aaaaaaaa1111', askArea: true })).card);
    const inCity = JSON.stringify(cards.render(reply(answer, { ref: 'aaaaaaaa1111', askArea: true, currentArea: 'derby-city' })).card);
    assert.match(asking, /Which area do you work in/);
    assert.match(inCity, /You work in Derby City/);
  });

  it('hands out cards nobody can change, so one reply cannot change the next', () => {
    const answer = engine.answer('county lines');
    const one = cards.render(reply(answer)).card as { body: unknown[] };
    assert.throws(() => {
      one.body.length = 0;
    }, TypeError);
    const two = cards.render(reply(answer)).card as { body: unknown[] };
    assert.ok(two.body.length > 0);
  });

  it('adds the lead offer to a copy: the next reply of the same card has no offer', () => {
    const answer = engine.answer('county lines');
    const offered = JSON.stringify(cards.render(reply(answer, { lead: { step: 'offer', topicId: answer.topicId } })).card);
    const plain = JSON.stringify(cards.render(reply(answer)).card);
    assert.match(offered, /Ask a safeguarding lead/);
    assert.doesNotMatch(plain, /Ask a safeguarding lead/);
  });
});
