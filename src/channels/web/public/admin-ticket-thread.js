// The read-only parts of a ticket in the console: its intake details, the bot's candidate FAQ
// entries and the one conversation thread (oldest first), all from the API's `view`, so every
// code reads as the configuration's words in the console's language.
import { pick, section, t, time } from './admin-common.js';
import { el } from './dom.js';
import { renderMarkdown } from './markdown.js';

/** "Erika Mustermann", or "Web-Besucher 3f9a" when the platform gave no name. */
export function customerName(customer) {
  return customer?.name || t('customerRef')(customer?.channel, customer?.ref ?? '');
}

export function detailsPart(view) {
  const list = el('dl', { class: 'details' });
  for (const detail of view.details) {
    list.append(
      el('dt', { text: pick(detail.label) }),
      el('dd', { text: detail.valueLabel ? pick(detail.valueLabel) : detail.value }),
    );
  }
  const part = section(t('details'), list);
  part.dataset.part = 'details';
  return part;
}

/** The files the customer sent, each opened through its signed link (a download). */
export function filesPart(view) {
  const files = view.files ?? [];
  const content = files.length
    ? el(
        'ul',
        { class: 'files' },
        files.map((f) =>
          el('li', {}, [
            f.url ? el('a', { href: f.url, download: f.name, text: f.name }) : el('span', { text: f.name }),
            el('span', {
              class: 'muted',
              text: ` (${f.contentType}, ${Math.max(1, Math.round(f.size / 1000))} kB)`,
            }),
          ]),
        ),
      )
    : el('p', { class: 'muted', text: t('none') });
  const part = section(t('files'), content);
  part.dataset.part = 'files';
  return part;
}

export function candidatesPart(view) {
  const content = view.candidates.length
    ? el('table', {}, [
        el('caption', { class: 'visually-hidden', text: t('candidates') }),
        el(
          'tbody',
          {},
          view.candidates.map((c) =>
            el('tr', {}, [
              el('td', { text: pick(c.title) }),
              el('td', { class: 'score' }, [
                el('span', { class: 'score-bar', style: `width:${Math.round(c.score * 80)}px` }),
                c.score.toFixed(2),
              ]),
            ]),
          ),
        ),
      ])
    : el('p', { class: 'muted', text: t('none') });
  const part = section(t('candidates'), content);
  part.dataset.part = 'candidates';
  return part;
}

function who(item, view) {
  if (item.from === 'customer') return customerName(view.customer);
  if (item.from === 'agent') return item.name || t('from').agent;
  return t('from')[item.from] ?? t('from').system;
}

/** The words of a status line: "Übernommen von Erika", "Ticket angelegt: Kunde wollte …". */
function statusText(item) {
  const words = t('events')[item.event];
  const by = item.by ?? '–';
  switch (item.event) {
    case 'created': {
      const reason = t('reasons')[item.reason];
      return reason ? `${words}: ${reason}` : words;
    }
    case 'escalated': {
      const target = [item.queue ? pick(item.queue) : null, item.level === 3 ? t('level')(3) : null]
        .filter(Boolean)
        .join(', ');
      return words(by, target || t('level')(item.level ?? 2));
    }
    case 'sla-warning':
    case 'sla-breached':
      return words(item.sla);
    case 'rated':
      return words(item.rating ?? '–');
    default:
      return typeof words === 'function' ? words(by) : (words ?? item.event);
  }
}

function messageItem(item, view) {
  const body =
    item.from === 'customer' || item.from === 'system'
      ? el('div', { class: 'body plain', text: item.text })
      : el('div', { class: 'body', html: renderMarkdown(item.text) });
  const classes = ['msg', item.from, item.internal ? 'internal' : ''].filter(Boolean).join(' ');
  return el('li', { class: classes }, [
    el('div', { class: 'who' }, [
      el('span', { class: 'name', text: who(item, view) }),
      item.internal ? el('span', { class: 'pill internal-mark', text: t('internalNote') }) : null,
      el('time', { datetime: new Date(item.at).toISOString(), text: time(item.at) }),
    ]),
    body,
  ]);
}

function statusItem(item) {
  return el('li', { class: `status ${item.event}` }, [
    el('span', { text: statusText(item) }),
    item.note ? el('span', { class: 'note', text: item.note }) : null,
    el('time', { datetime: new Date(item.at).toISOString(), text: time(item.at) }),
  ]);
}

/** The conversation before and after the hand-off, oldest first, with the ticket's changes inline. */
export function threadPart(view) {
  const list = el(
    'ol',
    { class: 'thread' },
    view.thread.map((item) => (item.kind === 'message' ? messageItem(item, view) : statusItem(item))),
  );
  const part = section(t('transcript'), list);
  part.dataset.part = 'transcript';
  return part;
}
