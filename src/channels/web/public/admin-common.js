// What the console's views share: page state and language, the API call that signs out on a 401,
// messages to the agent (a toast outside the page's content, or an error next to its field), and
// time formatting.
import { authorizedFetch, session } from './admin-api.js';
import { TEXT } from './admin-text.js';
import { $, el } from './dom.js';

export const state = {
  lang:
    localStorage.getItem('sb.admin.lang') ||
    (navigator.language?.toLowerCase().startsWith('en') ? 'en' : 'de'),
  selected: null,
  tab: 'tickets',
  timer: null,
  serverOffset: 0,
  /** The queues an agent can escalate to: `{ id, name: { de, en } }`, from /api/admin/queues. */
  queues: [],
};

export const t = (key) => TEXT[state.lang][key];

/** A `{ de, en }` text from the server, in the console's language. */
export const pick = (localized) => localized?.[state.lang] ?? localized?.de ?? '';

/**
 * A short message in the dock below the page's content (never over a field): `role=status` for
 * confirmations, `role=alert` for errors. Errors about one field go next to it instead (fieldError).
 */
export function toast(text, bad = false) {
  const box = $(bad ? '#toast-alert' : '#toast');
  const other = $(bad ? '#toast' : '#toast-alert');
  other.textContent = '';
  box.textContent = text;
  clearTimeout(toast.timer);
  // Errors stay until the next message, so there is time to read them.
  if (!bad) toast.timer = setTimeout(() => (box.textContent = ''), 5000);
}

/**
 * Shows `message` next to `input` (aria-describedby, aria-invalid) and moves focus there. The
 * note is the element `#<input id>-error`, made right after the input unless the page has one.
 */
export function fieldError(input, message) {
  const id = errorNoteId(input);
  let note = document.getElementById(id);
  if (!note) {
    note = el('span', { id, class: 'field-error' });
    input.insertAdjacentElement('afterend', note);
  }
  note.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  const described = new Set((input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
  described.add(id);
  input.setAttribute('aria-describedby', [...described].join(' '));
  input.focus();
  input.addEventListener('input', () => clearFieldError(input), { once: true });
  input.addEventListener('change', () => clearFieldError(input), { once: true });
}

const errorNoteId = (input) => input.dataset.errorNote || `${input.id}-error`;

export function clearFieldError(input) {
  const note = document.getElementById(errorNoteId(input));
  if (note) note.textContent = '';
  input.removeAttribute('aria-invalid');
}

/** A refused request: `code` is the API's stable error code (or `network`), `status` its HTTP status. */
export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export class Unauthorized extends ApiError {}

export async function api(path, options = {}) {
  let response;
  try {
    response = await authorizedFetch(path, options);
  } catch {
    throw new ApiError(t('apiErrors').network, 'network', 0);
  }
  const body = await response.json().catch(() => ({}));
  const code = body?.error?.code || `http_${response.status}`;
  const message = body?.error?.message || `HTTP ${response.status}`;
  if (response.status === 401) throw new Unauthorized(message, code, 401);
  if (!response.ok) {
    const error = new ApiError(message, code, response.status);
    // Problems by field, for the form that sent them.
    error.issues = body?.error?.issues ?? [];
    throw error;
  }
  return body;
}

/** The console's words for an API error: by its code, else what the server said. */
export function errorText(error) {
  return t('apiErrors')[error?.code] ?? error?.message ?? String(error);
}

/** The server's clock, as far as the last ticket list told it. */
export const now = () => Date.now() + state.serverOffset;
export const time = (ms) =>
  new Date(ms).toLocaleString(state.lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
  });

export function section(title, content) {
  return el('section', {}, [el('h3', { text: title }), content]);
}

/** Shows the sign-in form; `error` (an ApiError or nothing) is shown next to the token field. */
export function signOut(error) {
  session.token = null;
  state.me = null;
  clearInterval(state.timer);
  $('#app').hidden = true;
  $('#session-bar').hidden = true;
  $('#login').hidden = false;
  const input = $('#token-input');
  state.loginError = error;
  if (error) fieldError(input, errorText(error));
  else {
    clearFieldError(input);
    input.focus();
  }
}

export function handleError(error) {
  if (error instanceof Unauthorized) {
    signOut(error);
    return;
  }
  toast(errorText(error), true);
}
