// The agent/admin console: tickets with SLA clocks, ticket actions, unanswered questions,
// negative feedback and today's figures. Token in sessionStorage, sent as a Bearer header.
import { TEXT } from './admin-text.js';
import { $, el } from './dom.js';

const session = {
  get token() {
    return sessionStorage.getItem('sb.admin.token');
  },
  set token(value) {
    if (value) sessionStorage.setItem('sb.admin.token', value);
    else sessionStorage.removeItem('sb.admin.token');
  },
};

const state = {
  lang:
    localStorage.getItem('sb.admin.lang') ||
    (navigator.language?.toLowerCase().startsWith('en') ? 'en' : 'de'),
  selected: null,
  tab: 'tickets',
  timer: null,
  serverOffset: 0,
};

const t = (key) => TEXT[state.lang][key];

function toast(text, bad = false) {
  const box = $('#toast');
  box.textContent = text;
  box.classList.toggle('bad', bad);
  box.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove('show'), 3500);
}

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: {
      Accept: 'application/json',
      Authorization: `Bearer ${session.token}`,
      ...(options.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) throw new Unauthorized(body?.error?.message || t('badToken'));
  if (!response.ok) throw new Error(body?.error?.message || `HTTP ${response.status}`);
  return body;
}

const now = () => Date.now() + state.serverOffset;
const time = (ms) =>
  new Date(ms).toLocaleString(state.lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
  });

// ---- stats -----------------------------------------------------------------------------------

async function loadStats() {
  const stats = await api('/api/admin/stats');
  const names = t('stats');
  const counters = stats.counters || {};
  const answered = counters.answered ?? 0;
  const asked = answered + (counters.unanswered ?? 0);
  const tiles = [
    ['queued', stats.tickets.queued],
    ['claimed', stats.tickets.claimed],
    ['breached', stats.tickets.breached, stats.tickets.breached > 0],
    ['createdToday', stats.tickets.createdToday],
    ['resolvedToday', stats.tickets.resolvedToday],
    ['returnedToday', stats.tickets.returnedToday ?? 0],
    ['turns', counters.turns ?? 0],
    ['answered', answered],
    ['answerRate', asked ? `${Math.round((100 * answered) / asked)} %` : '–'],
    ['handoffs', counters.handoffs ?? 0],
    ['unansweredOpen', stats.unansweredOpen],
    ['helpful', stats.feedbackToday.helpful],
    ['notHelpful', stats.feedbackToday.notHelpful, stats.feedbackToday.notHelpful > 0],
    ['errors', counters.errors ?? 0, (counters.errors ?? 0) > 0],
  ];
  $('#stats').replaceChildren(
    ...tiles.map(([key, value, alert]) =>
      el('div', { class: `stat${alert ? ' alert' : ''}`, 'data-stat': key }, [
        el('div', { class: 'value', text: String(value) }),
        el('div', { class: 'label', text: names[key] }),
      ]),
    ),
  );
}

// ---- tickets ---------------------------------------------------------------------------------

/** A ticket an agent gave back to the bot is closed but not solved: it reads as "returned". */
function shownStatus(ticket) {
  return ticket.status === 'resolved' && ticket.closedReason === 'returned-to-bot'
    ? 'returned'
    : ticket.status;
}

function slaCell(ticket) {
  if (ticket.sla === 'closed') return el('span', { class: 'muted', text: '–' });
  const due = ticket.firstReactionAt === undefined ? ticket.reactionDueAt : ticket.resolutionDueAt;
  const minutes = Math.round((due - now()) / 60_000);
  return el('span', { class: `sla-${ticket.sla}`, title: time(due), text: t('inMin')(minutes) });
}

async function loadTickets() {
  const status = $('#status-filter').value;
  const body = await api(`/api/tickets${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  state.serverOffset = body.now - Date.now();
  const rows = body.tickets.map((ticket) => {
    const open = () => selectTicket(ticket.id);
    return el(
      'tr',
      {
        class: 'clickable',
        'data-ticket': ticket.id,
        'aria-selected': String(ticket.id === state.selected),
        onclick: open,
      },
      [
        el('td', {}, [
          el('button', { type: 'button', class: 'row-link mono', text: ticket.id, onclick: open }),
        ]),
        el('td', {}, [el('span', { class: `pill ${ticket.priority}`, text: ticket.priority })]),
        el('td', { text: ticket.level === 3 ? `${ticket.queue} (L3)` : ticket.queue }),
        el('td', {}, [
          el('span', { class: `pill ${shownStatus(ticket)}`, text: shownStatus(ticket) }),
          ticket.assignee ? el('div', { class: 'muted', text: ticket.assignee }) : null,
        ]),
        el('td', { class: 'summary', title: ticket.summary, text: ticket.summary }),
        el('td', {}, [slaCell(ticket)]),
        el('td', { text: t('ago')(ticket.ageMinutes) }),
      ],
    );
  });
  $('#ticket-rows').replaceChildren(...rows);
  $('#tickets-empty').hidden = rows.length > 0;
  const queues = new Set(body.tickets.map((x) => x.queue));
  state.queues = [...new Set([...(state.queues || []), ...queues])];
}

async function selectTicket(id) {
  state.selected = id;
  for (const row of document.querySelectorAll('#ticket-rows tr')) {
    row.setAttribute('aria-selected', String(row.dataset.ticket === id));
  }
  await loadDetail(true);
}

function section(title, content) {
  return el('section', {}, [el('h3', { text: title }), content]);
}

function agentName() {
  const name = $('#agent-name').value.trim();
  if (!name) {
    toast(t('needName'), true);
    $('#agent-name').focus();
    return null;
  }
  localStorage.setItem('sb.admin.agent', name);
  return name;
}

async function act(action, extra = {}) {
  const agent = agentName();
  if (!agent) return false;
  try {
    await api(`/api/tickets/${encodeURIComponent(state.selected)}/${action}`, {
      method: 'POST',
      body: JSON.stringify({ agent, ...extra }),
    });
    toast(`${state.selected}: ${t('done')}`);
    await Promise.all([loadTickets(), loadDetail(true), loadStats()]);
    return true;
  } catch (error) {
    handleError(error);
    return false;
  }
}

async function loadDetail(rebuild = false) {
  const pane = $('#ticket-detail');
  if (!state.selected) return;
  const { ticket, sla } = await api(`/api/tickets/${encodeURIComponent(state.selected)}`);
  // While an agent is typing, refresh only the read-only parts.
  const typing =
    pane.contains(document.activeElement) && ['TEXTAREA', 'INPUT'].includes(document.activeElement.tagName);
  if (typing && !rebuild) {
    pane.querySelector('[data-part="transcript"]')?.replaceWith(transcriptPart(ticket));
    return;
  }
  const reactionLeft = Math.round((ticket.reactionDueAt - now()) / 60_000);
  const resolutionLeft = Math.round((ticket.resolutionDueAt - now()) / 60_000);
  const closed = ticket.status === 'resolved' || ticket.status === 'cancelled';

  const header = el('div', { class: 'detail-meta' }, [
    el('h2', { class: 'mono', text: ticket.id }),
    el('span', { class: `pill ${ticket.priority}`, text: ticket.priority }),
    el('span', { class: `pill ${shownStatus(ticket)}`, text: shownStatus(ticket) }),
    el('span', { class: 'pill', text: `${ticket.queue} · L${ticket.level}` }),
    ticket.billable ? el('span', { class: 'pill P2', text: t('billable') }) : null,
  ]);

  const meta = el('dl', { class: 'details' });
  const add = (term, value, cls) =>
    meta.append(el('dt', { text: term }), el('dd', { class: cls, text: value }));
  add(t('assignee'), ticket.assignee || '–');
  add(t('created'), time(ticket.createdAt));
  if (!closed) {
    add(
      t('reactionDue'),
      ticket.firstReactionAt
        ? `✓ ${time(ticket.firstReactionAt)}`
        : `${time(ticket.reactionDueAt)} (${t('inMin')(reactionLeft)})`,
      !ticket.firstReactionAt ? `sla-${sla}` : undefined,
    );
    add(
      t('resolutionDue'),
      `${time(ticket.resolutionDueAt)} (${t('inMin')(resolutionLeft)})`,
      ticket.firstReactionAt ? `sla-${sla}` : undefined,
    );
  }

  const buttons = el('div', { class: 'button-row' }, [
    el('button', {
      type: 'button',
      class: 'primary',
      'data-do': 'claim',
      disabled: ticket.status !== 'queued',
      text: t('claim'),
      onclick: () => act('claim'),
    }),
    el('button', {
      type: 'button',
      'data-do': 'give-back',
      disabled: closed,
      text: t('giveBack'),
      onclick: () => act('give-back'),
    }),
  ]);

  const replyBox = el('textarea', { id: 'reply-text', maxlength: '4000', 'aria-label': t('reply') });
  const replyForm = el('form', { class: 'reply-form', 'data-part': 'reply' }, [
    el('label', { for: 'reply-text', text: t('reply') }),
    replyBox,
    el('div', { class: 'button-row' }, [
      el('button', { type: 'submit', class: 'primary', disabled: closed, text: t('send') }),
    ]),
  ]);
  replyForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = replyBox.value.trim();
    if (!text) return;
    if (await act('reply', { text })) replyBox.value = '';
  });

  const noteBox = el('input', { id: 'resolve-note', type: 'text', maxlength: '4000' });
  const resolveForm = el('form', { class: 'reply-form', 'data-part': 'resolve' }, [
    el('label', { for: 'resolve-note', text: t('resolveNote') }),
    noteBox,
    el('div', { class: 'button-row' }, [
      el('button', { type: 'submit', 'data-do': 'resolve', disabled: closed, text: t('resolve') }),
    ]),
  ]);
  resolveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const note = noteBox.value.trim();
    act('resolve', note ? { note } : {});
  });

  const queueInput = el('input', {
    id: 'escalate-queue',
    type: 'text',
    list: 'queue-list',
    maxlength: '100',
  });
  const levelBox = el('input', { id: 'escalate-level', type: 'checkbox' });
  const reasonInput = el('input', { id: 'escalate-reason', type: 'text', maxlength: '4000' });
  const datalist = el(
    'datalist',
    { id: 'queue-list' },
    (state.queues || []).map((q) => el('option', { value: q })),
  );
  const escalateForm = el('form', { class: 'escalate-form', 'data-part': 'escalate' }, [
    el('div', { class: 'fields' }, [
      el('label', { for: 'escalate-queue', text: t('escalateTo') }),
      queueInput,
      datalist,
      el('label', {}, [levelBox, ` ${t('level3')}`]),
    ]),
    el('div', { class: 'fields' }, [
      el('label', { for: 'escalate-reason', text: t('escalateReason') }),
      reasonInput,
    ]),
    el('div', { class: 'button-row' }, [
      el('button', { type: 'submit', class: 'danger', disabled: closed, text: t('escalate') }),
    ]),
  ]);
  escalateForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {};
    if (queueInput.value.trim()) body.queue = queueInput.value.trim();
    if (levelBox.checked) body.level = 3;
    if (reasonInput.value.trim()) body.reason = reasonInput.value.trim();
    act('escalate', body);
  });

  const details = el('dl', { class: 'details' });
  for (const [key, value] of Object.entries(ticket.details || {})) {
    details.append(el('dt', { text: key }), el('dd', { text: value }));
  }

  const candidates = el('table', {}, [
    el(
      'tbody',
      {},
      (ticket.candidates || []).map((c) =>
        el('tr', {}, [
          el('td', { text: c.title || c.id }),
          el('td', { class: 'mono' }, [
            el('span', { class: 'score-bar', style: `width:${Math.round(c.score * 80)}px` }),
            c.score.toFixed(2),
          ]),
        ]),
      ),
    ),
  ]);

  const events = el(
    'ul',
    { class: 'transcript' },
    (ticket.events || [])
      .slice()
      .reverse()
      .map((e) =>
        el('li', {}, [
          el('span', { class: 'who', text: `${time(e.at)} · ${e.type}${e.by ? ` · ${e.by}` : ''}` }),
          e.text || '',
        ]),
      ),
  );

  pane.replaceChildren(
    header,
    meta,
    buttons,
    replyForm,
    resolveForm,
    escalateForm,
    section(t('details'), details),
    transcriptPart(ticket),
    ticket.candidates?.length ? section(t('candidates'), candidates) : null,
    section(t('events'), events),
  );
}

function transcriptPart(ticket) {
  const list = el(
    'ul',
    { class: 'transcript' },
    (ticket.transcript || []).map((line) =>
      el('li', { class: line.from }, [
        el('span', {
          class: 'who',
          text: `${time(line.at)} · ${line.name || t('from')[line.from] || line.from}`,
        }),
        line.text,
      ]),
    ),
  );
  const part = section(t('transcript'), list);
  part.dataset.part = 'transcript';
  return part;
}

// ---- unanswered & feedback -------------------------------------------------------------------

let faqSearchTimer;

/** Fills the shared datalist with FAQ titles matching what the curator typed. */
function searchFaq(query) {
  clearTimeout(faqSearchTimer);
  faqSearchTimer = setTimeout(async () => {
    if (query.trim().length < 2) return;
    try {
      const { results } = await api(`/api/admin/faq?q=${encodeURIComponent(query.trim())}&limit=8`);
      $('#faq-options').replaceChildren(
        ...results.map((r) => el('option', { value: r.id, label: `${r.title} (${r.language})` })),
      );
    } catch (error) {
      handleError(error);
    }
  }, 250);
}

async function loadUnanswered() {
  // Do not pull the form away from a curator who is typing in it.
  if ($('#panel-unanswered').contains(document.activeElement) && document.activeElement.tagName === 'INPUT') {
    return;
  }
  const { questions } = await api('/api/admin/unanswered');
  const rows = questions.map((q) => {
    const entryInput = el('input', {
      type: 'search',
      list: 'faq-options',
      id: `teach-${q.id}`,
      placeholder: t('teachPlaceholder'),
      'aria-label': t('teachLabel'),
      value: q.bestGuess?.id,
      oninput: (event) => searchFaq(event.currentTarget.value),
    });
    const done = async (request) => {
      try {
        await request();
        await Promise.all([loadUnanswered(), loadStats()]);
      } catch (error) {
        handleError(error);
      }
    };
    return el('tr', { 'data-question': q.id }, [
      el('td', { text: time(q.at) }),
      el('td', { text: q.text }),
      el('td', { text: q.language }),
      el('td', {
        class: 'mono',
        text: q.bestGuess ? `${q.bestGuess.id} (${q.bestGuess.score.toFixed(2)})` : '–',
      }),
      el('td', {}, [
        el('div', { class: 'button-row' }, [
          entryInput,
          el('button', {
            type: 'button',
            'data-do': 'teach',
            text: t('teach'),
            onclick: () =>
              done(async () => {
                const entryId = entryInput.value.trim();
                if (!entryId) {
                  entryInput.focus();
                  return;
                }
                const by = $('#agent-name').value.trim() || undefined;
                await api(`/api/admin/unanswered/${encodeURIComponent(q.id)}/answer`, {
                  method: 'POST',
                  body: JSON.stringify({ entryId, by }),
                });
                toast(`${t('taught')}: ${entryId}`);
              }),
          }),
          el('button', {
            type: 'button',
            'data-do': 'dismiss',
            text: t('dismiss'),
            onclick: () =>
              done(() =>
                api(`/api/admin/unanswered/${encodeURIComponent(q.id)}/dismiss`, { method: 'POST' }),
              ),
          }),
        ]),
      ]),
    ]);
  });
  $('#unanswered-rows').replaceChildren(...rows);
  $('#unanswered-empty').hidden = rows.length > 0;
}

async function loadFeedback() {
  const { feedback } = await api('/api/admin/feedback?helpful=false&limit=200');
  const rows = feedback.map((f) =>
    el('tr', {}, [
      el('td', { text: time(f.at) }),
      el('td', { class: 'mono', text: f.entryId }),
      el('td', { text: f.question || '–' }),
      el('td', { text: f.reason || '–' }),
    ]),
  );
  $('#feedback-rows').replaceChildren(...rows);
  $('#feedback-empty').hidden = rows.length > 0;
}

// ---- shell -----------------------------------------------------------------------------------

function handleError(error) {
  if (error instanceof Unauthorized) {
    signOut(error.message);
    return;
  }
  toast(error.message, true);
}

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
  document.documentElement.lang = state.lang;
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
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

function signOut(message) {
  session.token = null;
  clearInterval(state.timer);
  $('#app').hidden = true;
  $('#session-bar').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
  $('#token-input').focus();
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
