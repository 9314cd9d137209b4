// The selected ticket's pane: what it is (status, queue, customer, SLA clocks), its details,
// candidates and thread (admin-ticket-thread.js), and the agent's actions: claim, give back,
// reply, resolve, escalate. Mistakes in a form are shown next to the field, not in a toast.
import { fieldError, now, pick, state, t, time } from './admin-common.js';
import { candidatesPart, customerName, detailsPart, filesPart, threadPart } from './admin-ticket-thread.js';
import { el } from './dom.js';

/** A ticket an agent gave back to the bot is closed but not solved: it reads as "returned". */
export function shownStatus(ticket) {
  return ticket.status === 'resolved' && ticket.closedReason === 'returned-to-bot'
    ? 'returned'
    : ticket.status;
}

export function statusPill(ticket) {
  const status = shownStatus(ticket);
  return el('span', { class: `pill ${status}`, 'data-status': status, text: t('statuses')[status] });
}

function headerPart(ticket, view) {
  return el('div', { class: 'detail-meta', 'data-part': 'header' }, [
    el('h2', { class: 'mono', tabindex: '-1', text: ticket.id }),
    el('span', { class: `pill ${ticket.priority}`, text: ticket.priority }),
    statusPill(ticket),
    el('span', { class: 'pill', text: `${pick(view.queueName)} · ${t('level')(ticket.level)}` }),
    ticket.billable ? el('span', { class: 'pill P2', text: t('billable') }) : null,
  ]);
}

function metaPart(ticket, view, sla, closed) {
  const meta = el('dl', { class: 'details', 'data-part': 'meta' });
  const add = (term, value, cls) =>
    meta.append(el('dt', { text: term }), el('dd', { class: cls, text: value }));
  add(t('customer'), customerName(view.customer));
  add(t('channel'), t('channels')[view.customer.channel] ?? view.customer.channel);
  add(t('assignee'), ticket.assignee || '–');
  add(t('created'), time(ticket.createdAt));
  if (closed && ticket.resolvedAt) add(t('closedAt'), time(ticket.resolvedAt));
  if (!closed) {
    const left = (due) => t('inMin')(Math.round((due - now()) / 60_000));
    add(
      t('reactionDue'),
      ticket.firstReactionAt
        ? `✓ ${time(ticket.firstReactionAt)}`
        : `${time(ticket.reactionDueAt)} (${left(ticket.reactionDueAt)})`,
      ticket.firstReactionAt ? undefined : `sla-${sla}`,
    );
    add(
      t('resolutionDue'),
      `${time(ticket.resolutionDueAt)} (${left(ticket.resolutionDueAt)})`,
      ticket.firstReactionAt ? `sla-${sla}` : undefined,
    );
  }
  return meta;
}

function buttonsPart(ticket, closed, act) {
  return el('div', { class: 'button-row', 'data-part': 'buttons' }, [
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
}

function replyPart(closed, act) {
  const box = el('textarea', { id: 'reply-text', maxlength: '4000', 'aria-describedby': 'reply-hint' });
  const form = el('form', { class: 'reply-form', 'data-part': 'reply', novalidate: true }, [
    el('label', { for: 'reply-text', text: t('reply') }),
    box,
    el('p', { id: 'reply-hint', class: 'muted hint', text: t('replyHint') }),
    el('div', { class: 'button-row' }, [
      el('button', {
        type: 'submit',
        class: 'primary',
        'data-do': 'reply',
        disabled: closed,
        text: t('send'),
      }),
    ]),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) {
      fieldError(box, t('needReply'));
      return;
    }
    const done = /^\s*note:/i.test(text) ? 'note' : 'reply';
    if (await act('reply', { text }, { field: box, done })) box.value = '';
  });
  return form;
}

function resolvePart(closed, act) {
  const note = el('input', { id: 'resolve-note', type: 'text', maxlength: '4000' });
  const form = el('form', { class: 'reply-form', 'data-part': 'resolve' }, [
    el('label', { for: 'resolve-note', text: t('resolveNote') }),
    note,
    el('div', { class: 'button-row' }, [
      el('button', { type: 'submit', 'data-do': 'resolve', disabled: closed, text: t('resolve') }),
    ]),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = note.value.trim();
    act('resolve', text ? { note: text } : {}, { field: note });
  });
  return form;
}

function escalatePart(ticket, closed, act) {
  const queue = el('select', { id: 'escalate-queue' }, [
    el('option', { value: '', text: t('chooseQueue') }),
    ...state.queues.map((q) => el('option', { value: q.id, text: pick(q.name) })),
  ]);
  const toLevel3 = el('input', { id: 'escalate-level', type: 'checkbox' });
  const reason = el('input', { id: 'escalate-reason', type: 'text', maxlength: '4000' });
  const form = el('form', { class: 'escalate-form', 'data-part': 'escalate' }, [
    el('div', { class: 'fields' }, [
      el('label', { for: 'escalate-queue', text: t('escalateTo') }),
      queue,
      el('label', { for: 'escalate-level' }, [toLevel3, ` ${t('level3')}`]),
    ]),
    el('div', { class: 'fields' }, [
      el('label', { for: 'escalate-reason', text: t('escalateReason') }),
      reason,
    ]),
    el('div', { class: 'button-row' }, [
      el('button', {
        type: 'submit',
        class: 'danger',
        'data-do': 'escalate',
        disabled: closed,
        text: t('escalate'),
      }),
    ]),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const target = queue.value || undefined;
    const level = toLevel3.checked ? 3 : undefined;
    if (!target && !level) {
      fieldError(queue, t('needTarget'));
      return;
    }
    if ((target ?? ticket.queue) === ticket.queue && (level ?? ticket.level) === ticket.level) {
      fieldError(queue, t('sameQueue'));
      return;
    }
    const body = { queue: target, level, reason: reason.value.trim() || undefined };
    act('escalate', body, { field: queue });
  });
  return form;
}

/** Every part of the pane, in reading order; `act(action, body, { field, done })` runs an action. */
export function detailParts({ ticket, sla, view }, act) {
  const closed = ticket.status === 'resolved' || ticket.status === 'cancelled';
  return [
    headerPart(ticket, view),
    metaPart(ticket, view, sla, closed),
    buttonsPart(ticket, closed, act),
    detailsPart(view),
    filesPart(view),
    candidatesPart(view),
    threadPart(view),
    replyPart(closed, act),
    resolvePart(closed, act),
    escalatePart(ticket, closed, act),
  ];
}
