// The console's ticket list (status filter, SLA clocks) and the selected ticket's detail with its
// actions: claim, give back, reply, resolve, escalate.
import { api, handleError, now, section, state, t, time, toast } from './admin-common.js';
import { loadStats } from './admin-reports.js';
import { $, el } from './dom.js';

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

export async function loadTickets() {
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

export async function loadDetail(rebuild = false) {
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
