import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { type CardAction, cardActions } from '../../conversation/card-action.js';
import type { Reply } from '../../conversation/reply.js';
import type { Answer, TriageView } from '../../engine/index.js';
import type { Contact, ContactGroup } from '../../knowledge/pack-types.js';
import { answerLayout, callNowText } from '../answer-layout.js';
import {
  citationText,
  contactReach,
  contactTitle,
  headings,
  matchedOnText,
  possibleDangerQuestion,
  procedureKindLabel,
} from '../labels.js';
import { renderPlainText } from '../plain-text.js';
import { leadBlocks } from './lead-blocks.js';
import { escapeMrkdwn as esc } from './mrkdwn.js';

/** Block Kit's published limits. */
export const blockKitLimits = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsPerBlock: 25,
  contextElements: 10,
  /** Slack truncates the top-level text of a message beyond this. */
  messageText: 40000,
} as const;

export interface SlackMessage {
  /** Plain text: notifications, screen readers, and clients that cannot show blocks. */
  text: string;
  blocks: KnownBlock[];
}

export interface SlackRenderOptions {
  /** A link that opens a direct message with the bot, offered with the privacy reminder. */
  directMessageUrl?: string;
}

const contactGroupHeadings: Record<ContactGroup, string> = {
  emergency: 'Emergency',
  advice: 'Advice',
  helpline: 'Helplines',
  police: 'Police teams',
};

/**
 * Renders replies as Block Kit messages within Slack's limits. Every dynamic string is escaped
 * (&, <, >), so nothing in the text can become a mention, a channel ping or a link.
 */
export function renderBlockKit(reply: Reply, options: SlackRenderOptions = {}): SlackMessage {
  if (reply.card === 'triage' && reply.triage) return renderTriage(reply, reply.triage);
  if (reply.card === 'more') return renderMore(reply);
  const { answer } = reply;
  const layout = answerLayout(answer);
  const blocks: KnownBlock[] = [];

  if (answer.emergency) {
    blocks.push(section(':rotating_light: *Call 999 now* if a child is at immediate risk of harm. Ask for the Police.'));
    if (answer.riskReason) blocks.push(context(esc(`Why: ${answer.riskReason}`)));
  }
  if (layout.asksAboutDanger) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:warning: *${possibleDangerQuestion}*` },
      accessory: button('danger_now', 'Yes, now', cardActions.dangerNow(answer.topicId ?? undefined, reply.ref), 'danger'),
    });
  }
  if (reply.card === 'attachment-warning') {
    blocks.push(
      section(
        `:no_entry: *I haven't opened your file or image.* ${esc(
          'I never open, download or forward files or images. If it shows a child, do not view, copy, print, share, store or save it, and do not ask a child to send it: doing so could constitute an offence. Here is what the procedure says to do instead.',
        )}`,
      ),
    );
  }
  const notice = reply.card === 'notice' ? reply.notice : undefined;
  blocks.push(header(notice?.title ?? answer.title));
  if (reply.privacyWarning) blocks.push(...privacyBlocks(options.directMessageUrl));
  const lead = notice?.text ?? layout.directAnswer;
  if (lead) blocks.push(section(`*${esc(lead)}*`));
  if (layout.firstSteps.length > 0) {
    const label = reply.card === 'welcome' ? 'How to use me' : headings.actions;
    blocks.push(...sections(`*${label}*\n${layout.firstSteps.map((step, index) => `${index + 1}. ${esc(step)}`).join('\n')}`));
  }
  if (layout.callNow) blocks.push(section(`:telephone_receiver: ${callNowText(layout.callNow, (phone) => `*${esc(phone)}*`, esc)}`));
  if (answer.alternatives.length > 0) {
    blocks.push(
      section(`*${headings.alternatives}*`),
      buttons(
        'alternative',
        answer.alternatives.map((link) => [link.title, cardActions.topic(link.id)]),
      ),
    );
  }
  if (reply.card === 'welcome') {
    blocks.push(
      buttons('start', [['I have a concern', cardActions.triage({})]]),
      section(
        reply.currentArea
          ? `*You work in ${reply.currentArea === 'derby-city' ? 'Derby City' : 'Derbyshire'}*: its consultation line is shown first. Change it here.`
          : "*Which area do you work in?* I'll show your consultation line first.",
      ),
      areaButtons(),
    );
  }
  const controls: ButtonItem[] = [];
  if (answer.declined) controls.push(['I have a concern', cardActions.triage({})]);
  if (answer.declined === 'off-topic') controls.push(['What I can help with', cardActions.help()]);
  if (answer.topicId && reply.card !== 'notice') controls.push(['More', cardActions.more(answer.topicId)]);
  const risk = answer.emergency ? 'emergency' : answer.risk === 'possible' ? 'possible' : undefined;
  if (reply.showFeedback && answer.topicId) {
    controls.push(
      ['Helpful', cardActions.feedback(answer.topicId, 'helpful', reply.ref, risk)],
      ['Not helpful', cardActions.feedback(answer.topicId, 'not-helpful', reply.ref, risk)],
    );
  }
  if (controls.length > 0) blocks.push(buttons('controls', controls));
  // "Ask a safeguarding lead" beside "More"; on an emergency it comes after 999, which stays first.
  blocks.push(...leadBlocks(reply.lead));
  // Replies with no topic have nothing behind "More": their contacts come in the message itself.
  if (!answer.topicId && reply.card !== 'notice') blocks.push(...contactBlocks(answer, reply));
  if (reply.askArea && reply.card !== 'welcome')
    blocks.push(section("*Which area do you work in?* I'll show your consultation line first."), areaButtons());
  blocks.push({ type: 'divider' }, context(`*${esc(answer.safetyLine)}*`));

  return { text: fallbackText(reply), blocks: fitWithinLimit(blocks) };
}

/** Slack's "More": everything else about the topic, as a message of its own, ending with the source. */
function renderMore(reply: Reply): SlackMessage {
  const { answer } = reply;
  const layout = answerLayout(answer);
  const blocks: KnownBlock[] = [header(`More: ${answer.title}`)];
  if (answer.emergency && answer.directAnswer) blocks.push(...sections(esc(answer.directAnswer)));
  if (answer.summary) blocks.push(...sections(esc(answer.summary)));
  if (layout.laterSteps.length > 0) {
    const from = layout.firstSteps.length + 1;
    blocks.push(
      ...sections(`*${headings.laterSteps}*\n${layout.laterSteps.map((step, index) => `${index + from}. ${esc(step)}`).join('\n')}`),
    );
  }
  if (answer.details.length > 0) blocks.push(...sections(`*${headings.details}*\n${bullets(answer.details.map(esc))}`));
  if (answer.procedures.length > 0) {
    blocks.push(
      ...sections(
        `*${headings.procedures}*\n${bullets(answer.procedures.map((procedure) => `*${esc(procedure.name)}* (${procedureKindLabel(procedure)}): ${esc(procedure.appliesWhen)}`))}`,
      ),
    );
  }
  blocks.push(...contactBlocks(answer, reply));
  if (answer.reportingRoutes.length > 0) {
    blocks.push(
      ...sections(
        `*${headings.reportingRoutes}*\n${bullets(answer.reportingRoutes.map((route) => `*${esc(route.name)}*: ${esc(route.useFor)}`))}`,
      ),
    );
  }
  if (answer.resources.length > 0) {
    blocks.push(
      ...sections(
        `*${headings.resources}*\n${bullets(answer.resources.map((resource) => `*${esc(resource.name)}*: ${esc(resource.about)}`))}`,
      ),
    );
  }
  if (answer.followUps.length > 0) {
    blocks.push(
      section(`*${headings.followUps}*`),
      buttons(
        'follow-up',
        answer.followUps.map((link) => [link.title, cardActions.topic(link.id)]),
      ),
    );
  }
  for (const note of answer.notices) blocks.push(context(`Note: ${esc(note)}`));
  if (answer.matchedOn) blocks.push(context(esc(matchedOnText(answer.matchedOn))));
  blocks.push({ type: 'divider' }, context(`*${esc(answer.safetyLine)}*`, esc(citationText(answer.source))));
  return { text: fallbackText(reply), blocks: fitWithinLimit(blocks) };
}

function areaButtons(): ActionsBlock {
  return buttons('area', [
    ['I work in Derby City', cardActions.area('derby-city')],
    ['I work in Derbyshire', cardActions.area('derbyshire')],
  ]);
}

/** A triage step: the question and its choices, or the summary; Back and Start again on every step. */
function renderTriage(reply: Reply, view: TriageView): SlackMessage {
  const { answer } = reply;
  const blocks: KnownBlock[] = [];
  if (view.emergencyFirst)
    blocks.push(
      section(':rotating_light: *Call 999 now.* A child at immediate risk of harm: call the Police on 999 first. Then continue below.'),
    );
  blocks.push(header('I have a concern'), context(view.step === 'summary' ? 'Summary of what to do' : `Step ${view.stepNumber} of 4`));
  if (view.chosen.length > 0) blocks.push(section(`*Your answers*\n${bullets(view.chosen.map(esc))}`));
  if (view.step !== 'summary') {
    blocks.push(section(`*${esc(view.question)}*\nChoose one. I won't ask for the child's details.`));
    blocks.push(
      buttons(
        'triage-choice',
        view.choices.map((choice): ButtonItem => [choice.label, cardActions.triage(choice.state), choice.emphasis]),
      ),
    );
  } else {
    blocks.push(section(`*${esc(answer.title)}*\n${esc(answer.summary)}`));
    blocks.push(...sections(`*Checklist*\n${answer.actions.map((action) => `:white_large_square: ${esc(action)}`).join('\n')}`));
    blocks.push(...contactBlocks(answer, reply));
    if (answer.procedures.length > 0) {
      blocks.push(...sections(`*${headings.procedures}*\n${bullets(answer.procedures.map((procedure) => `*${esc(procedure.name)}*`))}`));
    }
    if (answer.reportingRoutes.length > 0) {
      blocks.push(
        ...sections(
          `*${headings.reportingRoutes}*\n${bullets(answer.reportingRoutes.map((route) => `*${esc(route.name)}*: ${esc(route.useFor)}`))}`,
        ),
      );
    }
    if (reply.askArea) blocks.push(section("*Which area do you work in?* I'll show your consultation line first."), areaButtons());
  }
  blocks.push(
    buttons('triage-nav', [
      ...(view.back ? [['Back', cardActions.triage(view.back)] as ButtonItem] : []),
      ['Start again', cardActions.triage(view.restart)],
    ]),
    { type: 'divider' },
    context(`*${esc(answer.safetyLine)}*`, esc(citationText(answer.source))),
  );
  const text =
    view.step === 'summary'
      ? renderPlainText(answer)
      : `${view.emergencyFirst ? 'CALL 999 NOW if a child is at immediate risk of harm. ' : ''}I have a concern: ${view.question}`;
  return { text: text.length > 3000 ? `${text.slice(0, 2990)}...` : text, blocks: fitWithinLimit(blocks) };
}

/** The App Home tab: what the bot is for, quick buttons, and which knowledge pack it runs. */
export function renderAppHome(answer: Answer, packVersion: string): KnownBlock[] {
  return [
    header('Safeguarding Assistant'),
    section(
      esc(
        'Guidance for people who work with children in Derby and Derbyshire on a child\'s online harm: what to do, which procedures apply, and who to call. Answers come from the DDSCP procedure "Safeguarding Children From Online Harms". Ask with /safeguarding, mention me in a channel, or send me a direct message.',
      ),
    ),
    section(':rotating_light: *If a child is at immediate risk of harm, call the Police on 999 first.*'),
    section(
      esc(
        "Please don't post a child's name or other personal details in a channel: message me directly for guidance about a particular child.",
      ),
    ),
    buttons('home', [
      ['I have a concern', cardActions.triage({})],
      ['Emergency', cardActions.topic('immediate-risk'), 'danger'],
      ['Who to call', cardActions.topic('who-to-call')],
      ['Make a referral', cardActions.topic('making-a-referral')],
      ['Report content', cardActions.topic('reporting-overview')],
      ['Help', cardActions.help()],
    ]),
    { type: 'divider' },
    context(esc(`Knowledge pack ${packVersion}. ${citationText(answer.source)}`)),
  ];
}

/** The private reminder sent to someone who posted what looks like a child's details in a channel. */
export function renderPrivacyReminder(directMessageUrl: string | undefined): SlackMessage {
  return {
    text: "This is a shared channel: please don't post a child's personal details here. Message me directly instead.",
    blocks: privacyBlocks(directMessageUrl),
  };
}

function fallbackText(reply: Reply): string {
  // Slack shows `text` in notifications; keep it short and lead with 999 when it matters.
  const plain = renderPlainText(reply.answer);
  return plain.length > 3000 ? `${plain.slice(0, 2990)}...` : plain;
}

function privacyBlocks(directMessageUrl: string | undefined): KnownBlock[] {
  const text = `:lock: *This is a shared channel.* ${esc(
    "Please don't post a child's name or other personal details here. I have not repeated anything from your message. For guidance about a particular child, send me a direct message.",
  )}`;
  if (!directMessageUrl) return [section(text)];
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text },
      accessory: {
        type: 'button',
        text: { type: 'plain_text', text: 'Message me directly' },
        url: directMessageUrl,
        action_id: 'sa_open_dm',
      },
    },
  ];
}

function contactBlocks(answer: Answer, reply: Reply): KnownBlock[] {
  if (answer.contacts.length === 0) return [];
  const line = (contact: Contact) => {
    const reach = contactReach(contact);
    return `*${esc(contactTitle(contact))}*${reach ? `\n${esc(reach)}` : ''}\n_${esc(contact.for)}_`;
  };
  const grouped = (reply.card === 'answer' || reply.card === 'more') && answer.topicId === 'who-to-call';
  if (!grouped) return sections(`*${headings.contacts}*\n${answer.contacts.map(line).join('\n\n')}`);
  const order: ContactGroup[] = ['emergency', 'advice', 'helpline', 'police'];
  return order.flatMap((group) => {
    const inGroup = answer.contacts.filter((contact) => contact.group === group);
    return inGroup.length > 0 ? sections(`*${contactGroupHeadings[group]}*\n${inGroup.map(line).join('\n\n')}`) : [];
  });
}

function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, blockKitLimits.headerText), emoji: true } };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** One or more sections: long text is split at line breaks to stay under the section limit. */
function sections(text: string): SectionBlock[] {
  if (text.length <= blockKitLimits.sectionText) return [section(text)];
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const piece = truncate(line, blockKitLimits.sectionText);
    if (current && current.length + 1 + piece.length > blockKitLimits.sectionText) {
      parts.push(current);
      current = piece;
    } else {
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  return parts.map(section);
}

function context(...texts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: texts
      .slice(0, blockKitLimits.contextElements)
      .map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, blockKitLimits.sectionText) })),
  };
}

/** A row of buttons; an item's third element marks a button red ("danger"), for 999. */
type ButtonItem = [title: string, action: CardAction, style?: 'danger'];

function buttons(kind: string, items: ButtonItem[]): ActionsBlock {
  return {
    type: 'actions',
    block_id: `sa_${kind}`,
    elements: items.slice(0, blockKitLimits.actionsPerBlock).map(([title, action, style], index): Button => {
      const value = JSON.stringify(action);
      return {
        type: 'button',
        action_id: `sa_${kind}_${index}`,
        text: { type: 'plain_text', text: truncate(title, blockKitLimits.buttonText), emoji: true },
        value: value.length <= blockKitLimits.buttonValue ? value : JSON.stringify(cardActions.help()),
        ...(style ? { style } : {}),
      };
    }),
  };
}

function button(actionId: string, title: string, action: CardAction, style?: 'danger'): Button {
  return {
    type: 'button',
    action_id: `sa_${actionId}`,
    text: { type: 'plain_text', text: truncate(title, blockKitLimits.buttonText), emoji: true },
    value: JSON.stringify(action),
    ...(style ? { style } : {}),
  };
}

function bullets(items: string[]): string {
  return items.map((item) => `• ${item}`).join('\n');
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 3).trimEnd()}...`;
}

/** Keeps the safety footer even if a very large answer would pass the block limit. */
function fitWithinLimit(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= blockKitLimits.blocksPerMessage) return blocks;
  const footer = blocks.slice(-2);
  return [...blocks.slice(0, blockKitLimits.blocksPerMessage - 2), ...footer];
}
