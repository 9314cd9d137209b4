// The customer's web chat: one conversation per browser (id in localStorage), replies rendered
// by type, agent messages fetched by long polling. No framework, no build step.
import { TEXT } from './chat-text.js';
import { $, el, translatePage } from './dom.js';
import { renderMarkdown } from './markdown.js';

const store = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null; // storage blocked (private mode): the chat still works, it just forgets on reload
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      // Quota or privacy settings: history is a convenience, losing it is acceptable.
      return;
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      return; // see set()
    }
  },
};

const newId = () =>
  window.crypto?.randomUUID
    ? window.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const savedLang = store.get('sb.chat.lang');
const browserLang = (navigator.language || 'de').toLowerCase().startsWith('en') ? 'en' : 'de';

const state = {
  id: store.get('sb.chat.id') || newId(),
  lang: savedLang === 'de' || savedLang === 'en' ? savedLang : browserLang,
  cursor: 0,
  history: [],
  polling: false,
  pollGeneration: 0,
  busy: false,
};
store.set('sb.chat.id', state.id);

const t = (key) => TEXT[state.lang][key];

// ---- persistence -----------------------------------------------------------------------------

function loadHistory() {
  try {
    state.history = JSON.parse(store.get(`sb.chat.history.${state.id}`) || '[]');
  } catch {
    state.history = []; // a damaged history is dropped, the conversation itself lives on the server
  }
  state.cursor = Number(store.get(`sb.chat.cursor.${state.id}`) || 0);
}

function saveHistory() {
  state.history = state.history.slice(-150);
  store.set(`sb.chat.history.${state.id}`, JSON.stringify(state.history));
  store.set(`sb.chat.cursor.${state.id}`, String(state.cursor));
}

// ---- rendering -------------------------------------------------------------------------------

function applyLanguage() {
  translatePage(state.lang, t);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const button of document.querySelectorAll('.lang')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang));
  }
}

function scrollToEnd() {
  const box = $('#messages');
  box.scrollTop = box.scrollHeight;
  window.scrollTo(0, document.body.scrollHeight);
}

function actionButton(action, group) {
  return el('button', {
    type: 'button',
    class: 'action',
    'data-action': action.type,
    text: action.label,
    onclick: (event) => {
      for (const b of group.querySelectorAll('button')) b.disabled = true;
      event.currentTarget.classList.add('chosen');
      event.currentTarget.setAttribute('aria-pressed', 'true');
      sendAction(action);
    },
  });
}

function actionRow(actions, group, className = 'actions', label) {
  if (actions.length === 0) return null;
  const row = el('div', { class: className, role: 'group', 'aria-label': label || undefined });
  if (label) row.append(el('p', { class: 'actions-label', text: label, 'aria-hidden': 'true' }));
  for (const action of actions) row.append(actionButton(action, group));
  return row;
}

function customerMessage(text) {
  return el('article', { class: 'msg customer' }, [
    el('span', { class: 'sender visually-hidden', text: t('you') }),
    el('div', { class: 'bubble', text }),
  ]);
}

function replyMessage(reply) {
  // Labels inside a reply speak the reply's language, which may differ from the page's.
  const t = (key) => TEXT[reply.language in TEXT ? reply.language : state.lang][key];
  const kind = reply.type === 'relay' ? 'agent' : 'bot';
  const article = el('article', {
    class: `msg ${kind} ${reply.type}`,
    'data-reply-type': reply.type,
    'data-field': reply.type === 'ask' ? reply.field?.name : undefined,
    'data-entry': reply.type === 'answer' ? reply.entryId : undefined,
  });
  const sender = reply.type === 'relay' ? reply.from || t('agent') : t('bot');
  article.append(el('span', { class: 'sender', text: sender }));

  const actions = Array.isArray(reply.actions) ? reply.actions : [];
  // Under an answer, entry links are follow-ups ("Related"); in "Did you mean …?" they are the choices.
  const isFollowUp = (a) => a.type === 'show-entry' && reply.type === 'answer';
  const related = actions.filter(isFollowUp);
  const feedback = actions.filter((a) => a.type === 'feedback');
  const values = actions.filter(
    (a) => a.type === 'choose-value' || (a.type === 'show-entry' && !isFollowUp(a)),
  );
  const other = actions.filter((a) => !isFollowUp(a) && !values.includes(a) && a.type !== 'feedback');

  if (reply.type === 'ticket' && reply.ticket) {
    const card = el('section', { class: 'ticket-card', 'aria-label': t('ticketTitle') });
    card.append(el('h3', { text: t('ticketTitle') }));
    card.append(el('div', { class: 'ticket-id', 'data-ticket-id': reply.ticket.id, text: reply.ticket.id }));
    const dl = el('dl');
    const row = (term, value) => dl.append(el('dt', { text: term }), el('dd', { text: String(value) }));
    row(t('queue'), reply.ticket.queue);
    row(t('priority'), reply.ticket.priority);
    if (typeof reply.position === 'number') row(t('position'), reply.position);
    if (typeof reply.expectedWaitMinutes === 'number')
      row(t('wait'), t('minutes')(reply.expectedWaitMinutes));
    card.append(dl);
    if (reply.text) card.append(el('div', { class: 'ticket-text', html: renderMarkdown(reply.text) }));
    article.append(card);
  } else {
    const bubble = el('div', { class: 'bubble' });
    if (reply.type === 'answer' && reply.title) {
      bubble.append(el('h3', { class: 'answer-title', text: reply.title }));
    }
    if (reply.type === 'ask' && reply.error)
      bubble.append(el('p', { class: 'error-text', role: 'alert', text: reply.error }));
    bubble.append(el('div', { class: 'body', html: renderMarkdown(reply.text) }));
    article.append(bubble);
  }

  // Related entries the engine linked but did not offer as a button become buttons too.
  if (reply.type === 'answer' && Array.isArray(reply.related)) {
    for (const link of reply.related) {
      if (!related.some((a) => a.entryId === link.entryId)) {
        related.push({ type: 'show-entry', entryId: link.entryId, label: link.title });
      }
    }
  }
  article.append(actionRow(values, article, 'actions ask-options') ?? '');
  article.append(actionRow(related, article, 'actions related', t('related')) ?? '');
  article.append(actionRow(feedback, article, 'actions feedback', t('helpful')) ?? '');
  article.append(actionRow(other, article) ?? '');

  if (reply.type === 'ask' && reply.field) {
    $('#composer-input').placeholder = t('fieldPlaceholder')(reply.field.label);
  }
  return article;
}

function show(entry, { restoring = false } = {}) {
  const node = entry.kind === 'customer' ? customerMessage(entry.text) : replyMessage(entry.reply);
  if (restoring) for (const b of node.querySelectorAll('button')) b.disabled = true;
  $('#messages').append(node);
  scrollToEnd();
}

function record(entry) {
  state.history.push(entry);
  saveHistory();
  show(entry);
}

function disableOlderActions() {
  for (const b of $('#messages').querySelectorAll('button.action')) b.disabled = true;
}

function setStatus(text, typing = false) {
  const status = $('#status');
  status.textContent = text;
  status.classList.toggle('typing', typing);
}

// ---- talking to the server -------------------------------------------------------------------

async function post(payload) {
  const key = newId();
  const url = `/api/conversations/${encodeURIComponent(state.id)}/messages`;
  const init = {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify({ ...payload, locale: state.lang }),
  };
  // One retry with the same key: the server answers a repeated key once.
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    await new Promise((r) => setTimeout(r, 1000));
    response = await fetch(url, init);
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message || `HTTP ${response.status}`);
  return body.replies || [];
}

async function exchange(customerText, payload) {
  if (state.busy) return;
  state.busy = true;
  $('#placeholder-welcome')?.remove();
  disableOlderActions();
  record({ kind: 'customer', text: customerText });
  setStatus(t('typing'), true);
  $('#send-button').disabled = true;
  try {
    const replies = await post(payload);
    setStatus('');
    $('#composer-input').placeholder = t('placeholder');
    for (const reply of replies) record({ kind: 'reply', reply });
    startPolling();
  } catch (error) {
    setStatus(`${t('sendFailed')} (${error.message})`);
  } finally {
    state.busy = false;
    $('#send-button').disabled = false;
  }
}

function sendAction(action) {
  exchange(action.label, { action });
  $('#composer-input').focus();
}

async function poll(generation) {
  let delay = 0;
  while (state.polling && generation === state.pollGeneration) {
    if (delay) await new Promise((r) => setTimeout(r, delay));
    if (generation !== state.pollGeneration) return;
    try {
      const url = `/api/conversations/${encodeURIComponent(state.id)}/events?after=${state.cursor}&wait=20`;
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      if (generation !== state.pollGeneration) return;
      if (response.status === 404) {
        delay = 2000; // the server does not know this conversation yet: nothing to fetch
        continue;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      if ($('#status').textContent === t('offline')) setStatus('');
      if (body.events.length) disableOlderActions();
      for (const event of body.events) record({ kind: 'reply', reply: event.reply });
      state.cursor = body.cursor;
      saveHistory();
      delay = body.events.length ? 0 : 300;
    } catch {
      if (generation !== state.pollGeneration) return;
      setStatus(t('offline'));
      delay = 2000;
    }
  }
}

function startPolling() {
  if (state.polling) return;
  state.polling = true;
  poll(state.pollGeneration);
}

function welcome() {
  const node = el('article', { class: 'msg bot', id: 'placeholder-welcome' }, [
    el('span', { class: 'sender', text: t('bot') }),
    el('div', { class: 'bubble', text: t('welcome') }),
  ]);
  $('#messages').append(node);
}

function renderAll() {
  const box = $('#messages');
  for (const node of [...box.querySelectorAll('article')]) node.remove();
  if (state.history.length === 0) welcome();
  state.history.forEach((entry, i) => {
    show(entry, { restoring: true });
    // The last bot answers keep their buttons usable after a reload.
    if (i >= lastCustomerIndex())
      for (const b of box.lastElementChild.querySelectorAll('button')) b.disabled = false;
  });
}

function lastCustomerIndex() {
  for (let i = state.history.length - 1; i >= 0; i--) if (state.history[i].kind === 'customer') return i + 1;
  return 0;
}

// ---- wiring ----------------------------------------------------------------------------------

function init() {
  loadHistory();
  applyLanguage();
  renderAll();
  if (state.history.length) startPolling();

  const input = $('#composer-input');
  const grow = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  };
  input.addEventListener('input', grow);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('#composer').requestSubmit();
    }
  });
  $('#composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || state.busy) return;
    input.value = '';
    grow();
    exchange(text, { text });
  });
  $('#person-button').addEventListener('click', () =>
    sendAction({ type: 'talk-to-person', label: t('person') }),
  );
  $('#new-button').addEventListener('click', () => {
    store.remove(`sb.chat.history.${state.id}`);
    store.remove(`sb.chat.cursor.${state.id}`);
    state.id = newId();
    store.set('sb.chat.id', state.id);
    state.history = [];
    state.cursor = 0;
    state.polling = false;
    state.pollGeneration += 1;
    setStatus('');
    renderAll();
    input.focus();
  });
  for (const button of document.querySelectorAll('.lang')) {
    button.addEventListener('click', () => {
      state.lang = button.dataset.lang;
      store.set('sb.chat.lang', state.lang);
      applyLanguage();
      if (state.history.length === 0) renderAll();
    });
  }
  input.focus();
}

init();
