// The console's figures and curation lists: today's numbers, unanswered questions (teach an
// entry or dismiss) and negative feedback.
import { api, handleError, pick, t, time, toast } from './admin-common.js';
import { $, el } from './dom.js';

// ---- stats -----------------------------------------------------------------------------------

export async function loadStats() {
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

export async function loadUnanswered() {
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
      // Only an FAQ entry (it has a title) is worth proposing; an intent is not something to teach.
      value: q.bestGuess?.title ? q.bestGuess.id : undefined,
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
      el('td', { text: t('languages')[q.language] ?? q.language }),
      el('td', {
        text: q.bestGuess?.title ? `${pick(q.bestGuess.title)} (${q.bestGuess.score.toFixed(2)})` : '–',
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

export async function loadFeedback() {
  const { feedback } = await api('/api/admin/feedback?helpful=false&limit=200');
  const rows = feedback.map((f) =>
    el('tr', {}, [
      el('td', { text: time(f.at) }),
      el('td', { text: pick(f.entryTitle) || f.entryId }),
      el('td', { text: f.question || '–' }),
      el('td', { text: f.reason || '–' }),
    ]),
  );
  $('#feedback-rows').replaceChildren(...rows);
  $('#feedback-empty').hidden = rows.length > 0;
}
