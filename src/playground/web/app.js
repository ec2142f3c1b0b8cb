// The playground page: a small chat shell that shows the bot's Adaptive Cards with Microsoft's
// own renderer, and the same answer as Slack would show it. Everything it loads comes from this
// server; it talks only to this server.
(() => {
  const suggestions = [
    'A pupil has shared a nude image',
    'Who do I call for advice?',
    'Sextortion',
    'Concern about a member of staff',
    'How do I make a referral?',
    'A 13 year old is meeting an adult from Instagram tonight',
  ];

  const transcript = document.getElementById('transcript');
  const typing = document.getElementById('typing');
  const form = document.getElementById('composer');
  const input = document.getElementById('question');
  const chips = document.getElementById('chips');
  const slackSwitch = document.getElementById('slack-switch');
  const slackPanel = document.getElementById('slack-panel');
  const slackPreview = document.getElementById('slack-preview');
  const slackJson = document.getElementById('slack-json');
  const leadsPanel = document.getElementById('leads-panel');
  const leadsTranscript = document.getElementById('leads-transcript');

  const markdown = window.markdownit({ html: false, linkify: false, breaks: true });
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    // Teams shows <at>Name</at> as a mention of that person; here it is shown as a bold @Name.
    result.outputHtml = markdown.render(text.replace(/<at>([^<]*)<\/at>/g, (_mention, name) => `**@${name}**`));
    result.didProcess = true;
  };

  let conversationId = null;
  let hostConfig = null;
  let lastSlackMessage = null;

  const limitNote = document.getElementById('question-limit');
  const limitText = limitNote.textContent;
  const maxCharacters = Number(input.getAttribute('maxlength'));

  /** Says the limit, and how close a long account is to it, so nothing is cut off without a word. */
  function showLimit() {
    const used = input.value.length;
    limitNote.classList.toggle('near', used > maxCharacters * 0.9);
    limitNote.textContent =
      used > maxCharacters * 0.9
        ? `${used.toLocaleString('en-GB')} of ${maxCharacters.toLocaleString('en-GB')} characters: the bot reads up to ${maxCharacters.toLocaleString('en-GB')}.`
        : limitText;
  }

  function scrollToEnd() {
    transcript.scrollTop = transcript.scrollHeight;
  }

  function note(text) {
    const item = document.createElement('li');
    item.className = 'note';
    item.textContent = text;
    transcript.appendChild(item);
    scrollToEnd();
  }

  function showUserMessage(activity) {
    const item = document.createElement('li');
    item.className = 'user';
    // What the user typed is shown as text, never as HTML.
    item.textContent = activity.text !== undefined ? activity.text : 'Pressed a button';
    transcript.appendChild(item);
    scrollToEnd();
  }

  // The cards of a message, rendered by Microsoft's renderer; their buttons act as `as` (the user, or a lead).
  function renderCards(item, activity, as) {
    item.replaceChildren();
    for (const attachment of activity.attachments || []) {
      if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
      const card = new AdaptiveCards.AdaptiveCard();
      if (hostConfig) card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
      card.onExecuteAction = (action) => onCardAction(action, as);
      card.parse(attachment.content);
      const rendered = card.render();
      if (rendered) item.appendChild(rendered);
    }
    if (!item.childNodes.length && activity.text) item.textContent = activity.text;
  }

  // A message in the simulated leads' channel, or a new version of one (a lead took it, or it was posted again).
  function showLeadsMessage(activity) {
    leadsPanel.hidden = false;
    let item = leadsTranscript.querySelector(`li[data-activity-id="${CSS.escape(activity.id)}"]`);
    if (!item) {
      item = document.createElement('li');
      item.className = 'bot';
      item.dataset.activityId = activity.id;
      leadsTranscript.appendChild(item);
    }
    renderCards(item, activity, 'lead');
    leadsTranscript.scrollTop = item.offsetTop - leadsTranscript.offsetTop - 8;
  }

  function showBotMessage(activity) {
    typing.hidden = true;
    const item = document.createElement('li');
    item.className = 'bot';
    renderCards(item, activity, 'user');
    transcript.appendChild(item);
    // Show the start of a new answer (999 comes first in an emergency), not its end.
    transcript.scrollTop = item.offsetTop - transcript.offsetTop - 8;
    if (activity.channelData?.slack) {
      lastSlackMessage = activity.channelData.slack;
      renderSlackView();
    }
  }

  function onCardAction(action, as) {
    if (action instanceof AdaptiveCards.SubmitAction) {
      send(as === 'lead' ? { value: action.data, as: 'lead' } : { value: action.data });
    } else if (action instanceof AdaptiveCards.OpenUrlAction && action.url) {
      if (/^(tel|mailto):/.test(action.url)) window.location.href = action.url;
      else window.open(action.url, '_blank', 'noopener');
    }
  }

  async function send(body) {
    if (!conversationId) return;
    // A lead's press changes a card in the leads' channel; the bot does not type a reply to it.
    if (body.as !== 'lead') typing.hidden = false;
    try {
      const response = await fetch(`/playground/conversations/${conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(String(response.status));
    } catch {
      typing.hidden = true;
      note('Your message could not be sent. Is the bot still running? Reload the page to try again.');
    }
  }

  function renderSlackView() {
    if (slackPanel.hidden || !lastSlackMessage) return;
    slackJson.textContent = JSON.stringify(lastSlackMessage, null, 2);
    slackPreview.replaceChildren(...lastSlackMessage.blocks.map(renderBlock));
  }

  // A readable approximation of Slack's rendering, enough for a knowledge editor to check wording.
  function renderBlock(block) {
    const element = document.createElement(block.type === 'divider' ? 'hr' : 'div');
    switch (block.type) {
      case 'header':
        element.className = 'sk-header';
        element.textContent = block.text.text;
        break;
      case 'section':
        element.className = 'sk-section';
        element.append(...mrkdwn(block.text.text));
        if (block.accessory && block.accessory.type === 'button') element.append(' ', button(block.accessory));
        break;
      case 'context':
        element.className = 'sk-context';
        for (const part of block.elements) element.append(...mrkdwn(part.text || ''), ' ');
        break;
      case 'actions':
        element.className = 'sk-actions';
        element.append(...block.elements.map(button));
        break;
      case 'divider':
        element.className = 'sk-divider';
        break;
      default:
        element.textContent = `[${block.type}]`;
    }
    return element;
  }

  function button(element) {
    const span = document.createElement('span');
    span.className = `sk-button${element.style === 'danger' ? ' danger' : ''}`;
    span.textContent = element.text.text;
    return span;
  }

  // Slack mrkdwn: *bold*, _italic_, and &amp; &lt; &gt; escapes. Built as DOM nodes, never HTML.
  function mrkdwn(text) {
    const emoji = {
      ':rotating_light:': '\u{1F6A8}',
      ':lock:': '\u{1F512}',
      ':no_entry:': '\u26D4',
      ':white_large_square:': '\u2B1C',
      ':warning:': '\u26A0\uFE0F',
      ':telephone_receiver:': '\u{1F4DE}',
    };
    const decoded = text
      .replace(/:[a-z_]+:/g, (code) => emoji[code] ?? code)
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    const nodes = [];
    const pattern = /\*([^*\n]+)\*|_([^_\n]+)_/g;
    let last = 0;
    for (let match = pattern.exec(decoded); match; match = pattern.exec(decoded)) {
      if (match.index > last) nodes.push(document.createTextNode(decoded.slice(last, match.index)));
      const styled = document.createElement(match[1] !== undefined ? 'strong' : 'em');
      styled.textContent = match[1] !== undefined ? match[1] : match[2];
      nodes.push(styled);
      last = pattern.lastIndex;
    }
    if (last < decoded.length) nodes.push(document.createTextNode(decoded.slice(last)));
    return nodes;
  }

  function listen() {
    const events = new EventSource(`/playground/conversations/${conversationId}/events`);
    events.onmessage = (message) => {
      const activity = JSON.parse(message.data);
      if (activity.type === 'typing') {
        typing.hidden = false;
        return;
      }
      if (activity.channelData?.playgroundLeads) {
        if (activity.type === 'message' || activity.type === 'messageUpdate') showLeadsMessage(activity);
        return;
      }
      if (activity.type !== 'message') return;
      if (activity.from && activity.from.role === 'user') showUserMessage(activity);
      else showBotMessage(activity);
    };
    events.onerror = () => {
      typing.hidden = true;
    };
  }

  async function start() {
    for (const text of suggestions) {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.textContent = text;
      chip.addEventListener('click', () => send({ text }));
      chips.appendChild(chip);
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      showLimit();
      send({ text });
    });
    // Enter sends, as in Teams; Shift+Enter starts a new line in a long account.
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    input.addEventListener('input', showLimit);
    slackSwitch.addEventListener('change', () => {
      slackPanel.hidden = !slackSwitch.checked;
      renderSlackView();
    });
    try {
      hostConfig = await (await fetch('/playground/host-config.json')).json();
      const response = await fetch('/playground/conversations', { method: 'POST' });
      const started = await response.json();
      conversationId = started.conversationId;
      leadsPanel.hidden = !started.leadsChannel;
      listen();
    } catch {
      note('Could not reach the bot. Is it running? Start it with npm start, then reload.');
    }
  }

  start();
})();
