// What the console's views share: page state and language, the API call that signs out on a 401,
// messages to the agent, and time formatting.
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
};

export const t = (key) => TEXT[state.lang][key];

export function toast(text, bad = false) {
  const box = $('#toast');
  box.textContent = text;
  box.classList.toggle('bad', bad);
  box.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove('show'), 3500);
}

export class Unauthorized extends Error {}

export async function api(path, options = {}) {
  const response = await authorizedFetch(path, options);
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) throw new Unauthorized(body?.error?.message || t('badToken'));
  if (!response.ok) throw new Error(body?.error?.message || `HTTP ${response.status}`);
  return body;
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

export function signOut(message) {
  session.token = null;
  clearInterval(state.timer);
  $('#app').hidden = true;
  $('#session-bar').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
  $('#token-input').focus();
}

export function handleError(error) {
  if (error instanceof Unauthorized) {
    signOut(error.message);
    return;
  }
  toast(error.message, true);
}
