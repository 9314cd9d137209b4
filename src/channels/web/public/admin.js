// The agent/admin console's shell: sign-in, tabs, language and the 5-second refresh. The views
// live in admin-tickets.js and admin-reports.js; admin-faq.js runs beside this as its own script.
import { session } from './admin-api.js';
import { api, handleError, signOut, state, t } from './admin-common.js';
import { loadFeedback, loadStats, loadUnanswered } from './admin-reports.js';
import { loadDetail, loadTickets } from './admin-tickets.js';
import { $, translatePage } from './dom.js';

async function refresh() {
  try {
    const work = [loadStats()];
    if (state.tab === 'tickets') work.push(loadTickets(), loadDetail(false));
    if (state.tab === 'unanswered') work.push(loadUnanswered());
    if (state.tab === 'feedback') work.push(loadFeedback());
    await Promise.all(work);
    $('#refresh-note').textContent = `${t('refreshed')} ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    handleError(error);
  }
}

function applyLanguage() {
  translatePage(state.lang, t);
  $('#lang-toggle').textContent = state.lang === 'de' ? 'EN' : 'DE';
  $('#lang-toggle').setAttribute('aria-label', state.lang === 'de' ? 'English' : 'Deutsch');
}

function selectTab(name) {
  state.tab = name;
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#${tab.getAttribute('aria-controls')}`).hidden = !on;
  }
  refresh();
}

async function signIn() {
  try {
    await api('/api/admin/stats');
  } catch (error) {
    signOut(error.message);
    return;
  }
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#session-bar').hidden = false;
  if (!$('#agent-name').value) $('#agent-name').focus();
  await refresh();
  clearInterval(state.timer);
  state.timer = setInterval(refresh, 5000);
}

function init() {
  applyLanguage();
  $('#agent-name').value = localStorage.getItem('sb.admin.agent') || '';
  $('#login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    session.token = $('#token-input').value.trim();
    $('#token-input').value = '';
    signIn();
  });
  $('#logout').addEventListener('click', () => signOut(''));
  $('#lang-toggle').addEventListener('click', () => {
    state.lang = state.lang === 'de' ? 'en' : 'de';
    localStorage.setItem('sb.admin.lang', state.lang);
    applyLanguage();
    refresh();
  });
  $('#status-filter').addEventListener('change', () => loadTickets().catch(handleError));
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => selectTab(tab.id.replace('tab-', '')));
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const i = tabs.indexOf(tab);
      const next = tabs[(i + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      selectTab(next.id.replace('tab-', ''));
    });
  }
  if (session.token) signIn();
  else signOut('');
}

init();
