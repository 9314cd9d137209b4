// The console's ticket list (status filter, SLA clocks) and the selected ticket: its pane is built
// by admin-ticket-detail.js; the actions it offers run here.
import {
  api,
  errorText,
  fieldError,
  handleError,
  now,
  pick,
  state,
  t,
  time,
  toast,
  Unauthorized,
} from './admin-common.js';
import { loadStats } from './admin-reports.js';
import { detailParts, statusPill } from './admin-ticket-detail.js';
import { $, el } from './dom.js';

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
    const queue = pick(ticket.queueName);
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
          // The row opens it too; the button is the keyboard's way in. Stop here so it opens once.
          el('button', {
            type: 'button',
            class: 'row-link mono',
            text: ticket.id,
            onclick: (event) => {
              event.stopPropagation();
              open();
            },
          }),
        ]),
        el('td', {}, [el('span', { class: `pill ${ticket.priority}`, text: ticket.priority })]),
        el('td', { text: ticket.level === 3 ? `${queue} (${t('level')(3)})` : queue }),
        el('td', {}, [
          statusPill(ticket),
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
}

async function selectTicket(id) {
  state.selected = id;
  for (const row of document.querySelectorAll('#ticket-rows tr')) {
    row.setAttribute('aria-selected', String(row.dataset.ticket === id));
  }
  await loadDetail(true).catch(handleError);
}

/** The agent's name from the top bar; without one, says so next to that field. */
function agentName() {
  // Signed in with a personal token: one acts as oneself, never under a typed name.
  if (state.me?.kind === 'account') return state.me.name;
  const input = $('#agent-name');
  const name = input.value.trim();
  if (!name) {
    fieldError(input, t('needName'));
    return null;
  }
  localStorage.setItem('sb.admin.agent', name);
  return name;
}

/**
 * Runs an agent action on the selected ticket. A refused input is shown next to `field`; other
 * refusals (someone else claimed it first) in the toast. Resolves to whether it happened.
 */
async function act(action, extra = {}, { field, done = action } = {}) {
  const agent = agentName();
  if (!agent) return false;
  const id = state.selected;
  try {
    await api(`/api/tickets/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      body: JSON.stringify({ agent, ...extra }),
    });
    toast(t('acted')[done](id));
    await Promise.all([loadTickets(), loadDetail(true), loadStats()]);
    return true;
  } catch (error) {
    const badInput = error.code === 'invalid' || error.code === 'invalid_body';
    if (badInput && field && !(error instanceof Unauthorized)) fieldError(field, errorText(error));
    else handleError(error);
    return false;
  }
}

/** The parts of the pane with nothing to type into or press: safe to renew under the agent's hands. */
const READ_ONLY_PARTS = ['header', 'meta', 'details', 'candidates', 'transcript'];

/** Where focus was, as a selector that finds the same control in a rebuilt pane. */
function focusKey(pane) {
  const active = document.activeElement;
  if (!pane.contains(active)) return null;
  if (active.id) return `#${CSS.escape(active.id)}`;
  if (active.dataset.do) return `[data-do="${CSS.escape(active.dataset.do)}"]`;
  return 'h2';
}

export async function loadDetail(rebuild = false) {
  const pane = $('#ticket-detail');
  if (!state.selected) return;
  const detail = await api(`/api/tickets/${encodeURIComponent(state.selected)}`);
  const parts = detailParts(detail, act);
  const focused = focusKey(pane);
  // While the agent is in the pane (typing, or on a button), renew only what cannot be in use.
  if (focused && !rebuild) {
    for (const part of parts) {
      if (READ_ONLY_PARTS.includes(part.dataset.part)) {
        pane.querySelector(`[data-part="${part.dataset.part}"]`)?.replaceWith(part);
      }
    }
    return;
  }
  pane.replaceChildren(...parts);
  if (!focused) return;
  // After an action the pressed button is gone: keep focus on its successor, or on the heading.
  const target = pane.querySelector(focused);
  (target && !target.disabled ? target : pane.querySelector('h2'))?.focus();
}
