// The agent/admin console's shell: sign-in, tabs, language and the 5-second refresh. The views
// live in admin-tickets.js and admin-reports.js; admin-faq.js runs beside this as its own script.
import { session } from './admin-api.js';
import { api, errorText, handleError, signOut, state, t } from './admin-common.js';
import { initCuration, loadInbox, loadTuning } from './admin-curation.js';
import { initIncidents, loadIncidents } from './admin-incidents.js';
import { initInsights, loadAnalytics, loadAudit } from './admin-insights.js';
import { loadFeedback, loadStats, loadUnanswered } from './admin-reports.js';
import { initSlaReport, loadSlaReport } from './admin-sla-report.js';
import { loadDetail, loadTickets } from './admin-tickets.js';
import { $, translatePage } from './dom.js';

/** Which permission (from /api/admin/me) each tab needs. */
const TAB_PERMISSION = {
  tickets: 'tickets',
  unanswered: 'curate',
  feedback: 'curate',
  faq: 'curate',
  transfer: 'curate',
  try: 'curate',
  tuning: 'curate',
  analytics: 'report',
  incidents: 'signed-in',
  audit: 'administer',
};

const allowed = (tab) => state.me?.permissions?.includes(TAB_PERMISSION[tab]) ?? false;

/** `periodic`: the 5-second refresh, which leaves charts and forms that nothing else changes alone. */
async function refresh(periodic = false) {
  try {
    const work = [loadStats()];
    if (state.tab === 'tickets') work.push(loadTickets(), loadDetail(false));
    if (state.tab === 'unanswered')
      work.push(
        loadUnanswered(),
        loadInbox(() => refresh()),
      );
    if (state.tab === 'feedback') work.push(loadFeedback());
    if (!periodic && state.tab === 'tuning') work.push(loadTuning());
    if (!periodic && state.tab === 'analytics') work.push(loadAnalytics(), loadSlaReport());
    if (state.tab === 'audit') work.push(loadAudit());
    if (!periodic && state.tab === 'incidents') work.push(loadIncidents());
    await Promise.all(work);
    $('#refresh-note').textContent = `${t('refreshed')} ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    handleError(error);
  }
}

function applyLanguage() {
  translatePage(state.lang, t);
  for (const node of document.querySelectorAll('[data-i18n-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  }
  // A sign-in error already shown follows the language too.
  if (state.loginError && !$('#login').hidden) $('#login-error').textContent = errorText(state.loginError);
  if (state.me?.kind === 'account')
    $('#signed-in-as').textContent = t('signedInAs')(state.me.name, state.me.role);
  // The other language, named in itself (visible text and accessible name are one).
  const other = state.lang === 'de' ? 'en' : 'de';
  $('#lang-toggle').textContent = other === 'en' ? 'English' : 'Deutsch';
  $('#lang-toggle').lang = other;
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

/** Shows who is signed in and only the tabs their role may use. */
function applyRole() {
  const me = state.me;
  const personal = me.kind === 'account';
  $('#agent-name-field').hidden = personal;
  $('#signed-in-as').hidden = !personal;
  $('#signed-in-as').textContent = personal ? t('signedInAs')(me.name, me.role) : '';
  for (const tab of document.querySelectorAll('[role="tab"]'))
    tab.hidden = !allowed(tab.id.replace('tab-', ''));
  if (!allowed(state.tab)) state.tab = Object.keys(TAB_PERMISSION).find(allowed) ?? 'tickets';
}

async function signIn() {
  try {
    await api('/api/admin/stats');
    state.me = await api('/api/admin/me');
    state.queues = allowed('tickets') ? (await api('/api/admin/queues')).queues : [];
  } catch (error) {
    signOut(error);
    return;
  }
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#session-bar').hidden = false;
  applyRole();
  selectTab(state.tab);
  if (state.me.kind !== 'account' && !$('#agent-name').value) $('#agent-name').focus();
  clearInterval(state.timer);
  state.timer = setInterval(() => refresh(true), 5000);
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
  $('#logout').addEventListener('click', () => signOut());
  $('#lang-toggle').addEventListener('click', () => {
    state.lang = state.lang === 'de' ? 'en' : 'de';
    localStorage.setItem('sb.admin.lang', state.lang);
    applyLanguage();
    refresh();
  });
  $('#status-filter').addEventListener('change', () => loadTickets().catch(handleError));
  initCuration();
  initInsights(() => refresh());
  initSlaReport();
  initIncidents();
  const allTabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of allTabs) {
    tab.addEventListener('click', () => selectTab(tab.id.replace('tab-', '')));
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const tabs = allTabs.filter((candidate) => !candidate.hidden);
      const i = tabs.indexOf(tab);
      const next = tabs[(i + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      selectTab(next.id.replace('tab-', ''));
    });
  }
  if (session.token) signIn();
  else signOut();
}

init();
