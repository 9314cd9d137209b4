// How the web chat shows messages: the customer's, the bot's and agents' replies (by reply type,
// with their buttons) and the greeting. DOM building only; chat.js owns state and talking.
import { TEXT } from './chat-text.js';
import { el } from './dom.js';
import { renderMarkdown } from './markdown.js';

function actionButton(action, group, onAction) {
  return el('button', {
    type: 'button',
    class: 'action',
    'data-action': action.type,
    text: action.label,
    onclick: (event) => {
      for (const b of group.querySelectorAll('button')) b.disabled = true;
      event.currentTarget.classList.add('chosen');
      event.currentTarget.setAttribute('aria-pressed', 'true');
      onAction(action);
    },
  });
}

function actionRow(actions, { group, onAction, className = 'actions', label }) {
  if (actions.length === 0) return null;
  const row = el('div', { class: className, role: 'group', 'aria-label': label || undefined });
  if (label) row.append(el('p', { class: 'actions-label', text: label, 'aria-hidden': 'true' }));
  for (const action of actions) row.append(actionButton(action, group, onAction));
  return row;
}

/** The customer's own message; its hidden "You" label follows the page's language. */
export function customerMessage(text, t) {
  return el('article', { class: 'msg customer' }, [
    el('span', { class: 'sender visually-hidden', 'data-i18n': 'you', text: t('you') }),
    el('div', { class: 'bubble', text }),
  ]);
}

/**
 * One bot or agent reply, rendered by its type. `onAction(action)` is called when the customer
 * clicks one of its buttons (the reply's buttons are disabled first).
 */
export function replyMessage(reply, { pageLang, onAction }) {
  // Labels inside a reply speak the reply's language, which may differ from the page's.
  const t = (key) => TEXT[reply.language in TEXT ? reply.language : pageLang][key];
  const kind = reply.type === 'relay' ? 'agent' : 'bot';
  const article = el('article', {
    class: `msg ${kind} ${reply.type}`,
    lang: reply.language in TEXT ? reply.language : undefined,
    'data-reply-type': reply.type,
    'data-field': reply.type === 'ask' ? reply.field?.name : undefined,
    'data-entry': reply.type === 'answer' ? reply.entryId : undefined,
  });
  const sender = reply.type === 'relay' ? reply.from || t('agent') : t('bot');
  article.append(el('span', { class: 'sender', text: sender }));

  const actions = Array.isArray(reply.actions) ? reply.actions : [];
  // Under an answer, entry links are follow-ups ("Related"); in "Did you mean …?" they are the choices.
  const isFollowUp = (a) => a.type === 'show-entry' && reply.type === 'answer';
  const related = actions.filter(isFollowUp);
  const feedback = actions.filter((a) => a.type === 'feedback');
  const values = actions.filter(
    (a) => a.type === 'choose-value' || (a.type === 'show-entry' && !isFollowUp(a)),
  );
  const other = actions.filter((a) => !isFollowUp(a) && !values.includes(a) && a.type !== 'feedback');

  if (reply.type === 'ticket' && reply.ticket) {
    const card = el('section', { class: 'ticket-card', 'aria-label': t('ticketTitle') });
    card.append(el('h3', { text: t('ticketTitle') }));
    card.append(el('div', { class: 'ticket-id', 'data-ticket-id': reply.ticket.id, text: reply.ticket.id }));
    const dl = el('dl');
    const row = (term, value) => dl.append(el('dt', { text: term }), el('dd', { text: String(value) }));
    row(t('queue'), reply.ticket.queue);
    row(t('priority'), reply.ticket.priority);
    if (typeof reply.position === 'number') row(t('position'), reply.position);
    if (typeof reply.expectedWaitMinutes === 'number')
      row(t('wait'), t('minutes')(reply.expectedWaitMinutes));
    card.append(dl);
    if (reply.text) card.append(el('div', { class: 'ticket-text', html: renderMarkdown(reply.text) }));
    article.append(card);
  } else {
    const bubble = el('div', { class: 'bubble' });
    if (reply.type === 'answer' && reply.title) {
      bubble.append(el('h3', { class: 'answer-title', text: reply.title }));
    }
    if (reply.type === 'ask' && reply.error)
      bubble.append(el('p', { class: 'error-text', role: 'alert', text: reply.error }));
    bubble.append(el('div', { class: 'body', html: renderMarkdown(reply.text) }));
    article.append(bubble);
  }

  // Related entries the engine linked but did not offer as a button become buttons too.
  if (reply.type === 'answer' && Array.isArray(reply.related)) {
    for (const link of reply.related) {
      if (!related.some((a) => a.entryId === link.entryId)) {
        related.push({ type: 'show-entry', entryId: link.entryId, label: link.title });
      }
    }
  }
  const rows = { group: article, onAction };
  article.append(actionRow(values, { ...rows, className: 'actions ask-options' }) ?? '');
  article.append(actionRow(related, { ...rows, className: 'actions related', label: t('related') }) ?? '');
  article.append(actionRow(feedback, { ...rows, className: 'actions feedback', label: t('helpful') }) ?? '');
  article.append(actionRow(other, rows) ?? '');
  return article;
}

/** The greeting shown while the conversation is empty; its texts follow the page's language. */
export function welcomeMessage(t) {
  return el('article', { class: 'msg bot', id: 'placeholder-welcome' }, [
    el('span', { class: 'sender', 'data-i18n': 'bot', text: t('bot') }),
    el('div', { class: 'bubble', 'data-i18n': 'welcome', text: t('welcome') }),
  ]);
}
