// The customer's web chat: one conversation per browser (the id and token the server issued,
// in localStorage, so a reload goes on where it was), agent messages
// fetched by long polling, the page in the conversation's language. Messages are drawn by
// chat-messages.js. No framework, no build step.
import { customerMessage, replyMessage, welcomeMessage } from './chat-messages.js';
import { TEXT } from './chat-text.js';
import { $, translatePage } from './dom.js';

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

// An embedding site passes its signed-in user as `#identity=<JSON {userId, name?, email?,
// organisation?, hash}>` (the fragment never reaches a server log); it is taken once and removed
// from the address. The server trusts it only when the hash checks out under WEB_IDENTITY_SECRET.
function takeIdentity() {
  const match = /(?:^#|&)identity=([^&]*)/.exec(window.location.hash);
  if (!match) return undefined;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  try {
    const claim = JSON.parse(decodeURIComponent(match[1]));
    return claim && typeof claim === 'object' ? claim : undefined;
  } catch {
    return undefined; // a broken claim is no identity; the chat works anonymously
  }
}
const identity = takeIdentity();

const isLanguage = (lang) => Object.hasOwn(TEXT, lang);
const savedLang = store.get('sb.chat.lang');
const browserLang = (navigator.language || 'de').toLowerCase().startsWith('en') ? 'en' : 'de';

const state = {
  // Issued by the server with POST /api/conversations; empty until the first message.
  id: store.get('sb.chat.id') || '',
  token: store.get('sb.chat.token') || '',
  // The page speaks the conversation's language: the latest reply's, or the one the customer
  // picked since. Saved on every change, so a reload keeps it.
  lang: isLanguage(savedLang) ? savedLang : browserLang,
  cursor: 0,
  history: [],
  polling: false,
  pollGeneration: 0,
  busy: false,
  status: { key: '', detail: '' },
};
// Pages before issued conversations chose their own id and have no token: start afresh. So does
// a page whose embedding site now names another user than the one this conversation was for.
if (!state.token || (identity && store.get('sb.chat.user') !== String(identity.userId))) {
  state.id = '';
  state.token = '';
}

const t = (key) => TEXT[state.lang][key];

// ---- persistence -----------------------------------------------------------------------------

function loadHistory() {
  try {
    state.history = JSON.parse(store.get(`sb.chat.history.${state.id}`) || '[]');
  } catch {
    state.history = []; // a damaged history is dropped, the conversation itself lives on the server
  }
  state.cursor = Number(store.get(`sb.chat.cursor.${state.id}`) || 0);
  // Older pages did not save the language with each reply; the history still knows it.
  if (!isLanguage(savedLang)) {
    const lastReply = state.history.findLast((entry) => entry.kind === 'reply');
    if (isLanguage(lastReply?.reply?.language)) state.lang = lastReply.reply.language;
  }
}

function saveHistory() {
  if (!state.id) return; // saved once the server has issued the conversation
  state.history = state.history.slice(-150);
  store.set(`sb.chat.history.${state.id}`, JSON.stringify(state.history));
  store.set(`sb.chat.cursor.${state.id}`, String(state.cursor));
}

// ---- rendering -------------------------------------------------------------------------------

/** Puts every page text (labels, placeholder, status) into the current language. */
function applyLanguage() {
  translatePage(state.lang, t);
  for (const button of document.querySelectorAll('.lang')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang));
  }
  updatePlaceholder();
  renderStatus();
}

function setLanguage(lang) {
  if (!isLanguage(lang) || lang === state.lang) return;
  state.lang = lang;
  store.set('sb.chat.lang', lang);
  applyLanguage();
}

/** Replies since the customer last wrote: the bot's current turn. */
function currentReplies() {
  const lastCustomer = state.history.findLastIndex((entry) => entry.kind === 'customer');
  return state.history.slice(lastCustomer + 1).map((entry) => entry.reply);
}

/** While the bot waits for an intake detail, the field's label is the hint; else the generic one. */
function updatePlaceholder() {
  const ask = currentReplies().findLast((reply) => reply?.type === 'ask' && reply.field?.label);
  $('#composer-input').placeholder = ask ? t('fieldPlaceholder')(ask.field.label) : t('placeholder');
}

const REPLY_TOP_MARGIN = 12;

/**
 * Scrolls the log to its end, but never past the top of `firstNew` (the first reply of a batch),
 * so a long answer is read from its title rather than from its last line. Focus stays put.
 */
function scrollLog(firstNew) {
  const box = $('#messages');
  const end = box.scrollHeight - box.clientHeight;
  const top = firstNew ? firstNew.offsetTop - REPLY_TOP_MARGIN : end;
  box.scrollTop = Math.max(0, Math.min(end, top));
}

function show(entry, { restoring = false } = {}) {
  const node =
    entry.kind === 'customer'
      ? customerMessage(entry.text, t)
      : replyMessage(entry.reply, { pageLang: state.lang, onAction: sendAction });
  if (restoring) for (const b of node.querySelectorAll('button')) b.disabled = true;
  $('#messages').append(node);
  return node;
}

function recordCustomer(text) {
  state.history.push({ kind: 'customer', text });
  saveHistory();
  show(state.history.at(-1));
  scrollLog();
}

/** Shows a batch of replies, follows their language, and scrolls to the first one's start. */
function recordReplies(replies) {
  if (replies.length === 0) return;
  let first;
  for (const reply of replies) {
    state.history.push({ kind: 'reply', reply });
    const node = show(state.history.at(-1));
    first ??= node;
  }
  saveHistory();
  const latest = replies.at(-1);
  if (isLanguage(latest?.language)) setLanguage(latest.language);
  updatePlaceholder();
  scrollLog(first);
}

function disableOlderActions() {
  for (const b of $('#messages').querySelectorAll('button.action')) b.disabled = true;
}

/** Shows `t(key)` (and a detail, e.g. an error) under the log; kept as a key to follow the language. */
function setStatus(key = '', detail = '') {
  state.status = { key, detail };
  renderStatus();
}

function renderStatus() {
  const { key, detail } = state.status;
  const status = $('#status');
  status.textContent = key ? `${t(key)}${detail ? ` (${detail})` : ''}` : '';
  status.classList.toggle('typing', key === 'typing');
}

// ---- talking to the server -------------------------------------------------------------------

/** Asks the server for a conversation of our own; its token is the only key to it. */
async function openConversation() {
  const response = await fetch('/api/conversations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(identity ? { identity } : {}),
  });
  const body = await response.json();
  if (response.status !== 201) throw new Error(body?.error?.message || `HTTP ${response.status}`);
  const history = state.history;
  forgetConversation();
  state.history = history;
  state.id = body.id;
  state.token = body.token;
  store.set('sb.chat.id', state.id);
  store.set('sb.chat.token', state.token);
  if (identity) store.set('sb.chat.user', String(identity.userId));
}

/** Drops the conversation's key and what this browser kept of it. */
function forgetConversation() {
  if (state.id) {
    store.remove(`sb.chat.history.${state.id}`);
    store.remove(`sb.chat.cursor.${state.id}`);
  }
  store.remove('sb.chat.id');
  store.remove('sb.chat.token');
  store.remove('sb.chat.user');
  state.id = '';
  state.token = '';
  state.history = [];
  state.cursor = 0;
  state.polling = false;
  state.pollGeneration += 1;
}

const authorized = (headers = {}) => ({ ...headers, Authorization: `Bearer ${state.token}` });

async function post(payload) {
  if (!state.token) await openConversation();
  let response = await send(payload);
  if (response.status === 401 || response.status === 404) {
    // The conversation expired or was deleted on the server: go on in a new one.
    await openConversation();
    response = await send(payload);
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message || `HTTP ${response.status}`);
  return body.replies || [];
}

async function send(payload) {
  // A file goes as the raw body of its own route; the server reads its type from its bytes.
  const { file } = payload;
  const path = file ? `attachments?name=${encodeURIComponent(file.name)}` : 'messages';
  const url = `/api/conversations/${encodeURIComponent(state.id)}/${path}`;
  const init = file
    ? { method: 'POST', headers: authorized({ 'Accept-Language': state.lang }), body: file }
    : {
        method: 'POST',
        headers: authorized({ 'Content-Type': 'application/json', 'Idempotency-Key': newId() }),
        body: JSON.stringify({ ...payload, locale: state.lang }),
      };
  // One retry with the same key: the server answers a repeated key once.
  try {
    return await fetch(url, init);
  } catch {
    await new Promise((r) => setTimeout(r, 1000));
    return fetch(url, init);
  }
}

async function exchange(customerText, payload) {
  if (state.busy) return;
  state.busy = true;
  $('#placeholder-welcome')?.remove();
  disableOlderActions();
  recordCustomer(customerText);
  setStatus('typing');
  $('#send-button').disabled = true;
  try {
    const replies = await post(payload);
    setStatus();
    recordReplies(replies);
    startPolling();
  } catch (error) {
    setStatus('sendFailed', error.message);
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
      const response = await fetch(url, { headers: authorized({ Accept: 'application/json' }) });
      if (generation !== state.pollGeneration) return;
      if (response.status === 401 || response.status === 404) {
        state.polling = false; // the conversation is gone; the next message opens a new one
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      if (state.status.key === 'offline') setStatus();
      if (body.events.length) disableOlderActions();
      state.cursor = body.cursor;
      recordReplies(body.events.map((event) => event.reply));
      saveHistory();
      delay = body.events.length ? 0 : 300;
    } catch {
      if (generation !== state.pollGeneration) return;
      setStatus('offline');
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
  $('#messages').append(welcomeMessage(t));
}

function renderAll() {
  const box = $('#messages');
  for (const node of [...box.querySelectorAll('article')]) node.remove();
  if (state.history.length === 0) welcome();
  const current = state.history.findLastIndex((entry) => entry.kind === 'customer') + 1;
  let firstCurrent;
  state.history.forEach((entry, i) => {
    const node = show(entry, { restoring: true });
    // The bot's current turn keeps its buttons usable after a reload.
    if (i >= current) {
      for (const b of node.querySelectorAll('button')) b.disabled = false;
      firstCurrent ??= node;
    }
  });
  updatePlaceholder();
  scrollLog(firstCurrent);
}

// ---- wiring ----------------------------------------------------------------------------------

function init() {
  loadHistory();
  applyLanguage();
  renderAll();
  if (state.history.length && state.token) startPolling();

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
  const attach = $('#attach-input');
  $('#attach-button').addEventListener('click', () => attach.click());
  attach.addEventListener('change', () => {
    const file = attach.files?.[0];
    attach.value = '';
    if (file && !state.busy) exchange(`📎 ${file.name}`, { file });
  });
  $('#person-button').addEventListener('click', () =>
    sendAction({ type: 'talk-to-person', label: t('person') }),
  );
  $('#new-button').addEventListener('click', () => {
    // The next message asks the server for a new conversation.
    forgetConversation();
    setStatus();
    renderAll();
    input.focus();
  });
  for (const button of document.querySelectorAll('.lang')) {
    button.addEventListener('click', () => setLanguage(button.dataset.lang));
  }
  input.focus();
}

init();
