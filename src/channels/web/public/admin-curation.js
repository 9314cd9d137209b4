// Curators' views: the inbox grouped by meaning (add wordings to an entry, create an entry from a
// group, ignore it), "Try it" (candidates, thresholds and why), and the threshold with its curve.

import { drawChart } from './admin-charts.js';
import { api, clearFieldError, fieldError, handleError, pick, t, time, toast } from './admin-common.js';
import { $, el } from './dom.js';

// ---- inbox -----------------------------------------------------------------------------------

/** Do not rebuild the groups under a curator who is typing in one. */
const busy = (root) =>
  root.contains(document.activeElement) && /INPUT|TEXTAREA/.test(document.activeElement.tagName);

export async function loadInbox(onChange) {
  const root = $('#inbox-groups');
  if (busy(root)) return;
  const { groups } = await api('/api/admin/inbox');
  root.replaceChildren(...groups.map((g) => groupItem(g, onChange)));
  $('#inbox-empty').hidden = groups.length > 0;
}

function groupItem(group, onChange) {
  const id = group.id.replace(/[^A-Za-z0-9_-]/g, '');
  const sources = Object.entries(group.sources).map(([s, n]) => `${t('sources')[s] ?? s} (${n})`);
  const hesitated = group.hesitated.map((h) => `${pick(h.title)} (${h.bestScore.toFixed(2)})`);
  const run = async (request, message) => {
    try {
      const result = await request();
      toast(message(result));
      await onChange();
    } catch (error) {
      handleError(error);
    }
  };
  const entryInput = el('input', {
    id: `merge-${id}`,
    type: 'text',
    list: 'faq-options',
    value: group.hesitated[0]?.id,
    'aria-label': t('entryLabel'),
  });
  const merge = () => {
    const entryId = entryInput.value.trim();
    if (!entryId) {
      fieldError(entryInput, t('entryLabel'));
      return;
    }
    run(
      () =>
        api('/api/admin/inbox/add-to-entry', {
          method: 'POST',
          body: JSON.stringify({ questionIds: group.questionIds, entryId }),
        }),
      (r) => t('merged')(r.questions, entryId),
    );
  };
  return el('li', { class: 'inbox-group', 'data-group': group.id }, [
    el('h3', { text: `${group.examples[0]} · ${t('times')(group.count)}` }),
    el(
      'ul',
      { class: 'examples' },
      group.examples.map((e) => el('li', { text: e })),
    ),
    el('p', {
      class: 'muted',
      text: `${t('seen')(time(group.firstSeen), time(group.lastSeen))} · ${group.languages.map((l) => t('languages')[l] ?? l).join(', ')} · ${sources.join(', ')}`,
    }),
    hesitated.length > 0 ? el('p', { text: `${t('hesitated')}: ${hesitated.join(' · ')}` }) : null,
    group.proposedAnswer
      ? el('p', {
          class: 'muted',
          text: `${t('proposal')(group.proposedAnswer.by)}: ${group.proposedAnswer.text}`,
        })
      : null,
    el('div', { class: 'button-row' }, [
      entryInput,
      el('button', {
        type: 'button',
        class: 'primary',
        'data-do': 'merge',
        text: t('addToEntry'),
        onclick: merge,
      }),
      el('button', {
        type: 'button',
        'data-do': 'create',
        text: t('createEntry'),
        onclick: (event) => openCreate(event.currentTarget, group, id, run),
      }),
      el('button', {
        type: 'button',
        'data-do': 'ignore',
        text: t('ignore'),
        onclick: () =>
          run(
            () =>
              api('/api/admin/inbox/ignore', {
                method: 'POST',
                body: JSON.stringify({ questionIds: group.questionIds }),
              }),
            () => t('ignored'),
          ),
      }),
    ]),
  ]);
}

/** The pre-filled form for a new entry made from the group. */
function openCreate(button, group, id, run) {
  const item = button.closest('li');
  if (item.querySelector('form')) return;
  const language = group.languages[0] ?? 'de';
  const slug = group.examples[0]
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 50)
    .replace(/-$/, '');
  const field = (name, label, input) => {
    input.id = `${name}-${id}`;
    return el('div', { class: 'faq-field' }, [el('label', { for: input.id, text: label }), input]);
  };
  const form = el('form', { class: 'faq-form', novalidate: true }, [
    field('new-id', t('newId'), el('input', { type: 'text', value: slug })),
    field('new-title', t('newTitle'), el('input', { type: 'text', value: group.examples[0].slice(0, 120) })),
    field('new-questions', t('newQuestions'), el('textarea', { rows: '4' })),
    field('new-answer', t('newAnswer'), el('textarea', { rows: '6' })),
    el('button', { type: 'submit', class: 'primary', text: t('saveEntry') }),
  ]);
  form.querySelector(`#new-questions-${id}`).value = group.examples.join('\n');
  form.querySelector(`#new-answer-${id}`).value = group.proposedAnswer?.text ?? '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (name) => form.querySelector(`#${name}-${id}`).value;
    const entry = {
      id: value('new-id').trim(),
      language,
      title: value('new-title').trim(),
      questions: value('new-questions')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
      answer: value('new-answer'),
    };
    for (const input of form.querySelectorAll('input, textarea')) clearFieldError(input);
    run(
      async () => {
        try {
          return await api('/api/admin/inbox/create', {
            method: 'POST',
            body: JSON.stringify({ questionIds: group.questionIds, entry }),
          });
        } catch (error) {
          // Each problem next to its field; the first one takes the focus.
          const fields = { id: 'new-id', title: 'new-title', answer: 'new-answer' };
          const issue = error.issues?.find(
            (i) => fields[i.path.split(/[.[]/)[0]] || i.path.startsWith('questions'),
          );
          const name = issue ? (fields[issue.path.split(/[.[]/)[0]] ?? 'new-questions') : undefined;
          if (name) fieldError(form.querySelector(`#${name}-${id}`), issue.message);
          throw error;
        }
      },
      () => t('created')(entry.id),
    );
  });
  item.append(form);
  form.querySelector('textarea:last-of-type').focus();
}

// ---- try it ----------------------------------------------------------------------------------

async function tryQuestion(event) {
  event.preventDefault();
  const input = $('#try-text');
  const text = input.value.trim();
  if (!text) {
    fieldError(input, t('tryLabel'));
    return;
  }
  try {
    const result = await api('/api/admin/try', { method: 'POST', body: JSON.stringify({ text }) });
    const rows = result.candidates.map((c, i) =>
      el('tr', { 'data-candidate': c.id }, [
        el('td', { text: String(i + 1) }),
        el('td', { text: c.title }),
        el('td', { text: t('kinds')[c.kind] }),
        el('td', { class: 'mono', text: c.score.toFixed(3) }),
      ]),
    );
    $('#try-result').replaceChildren(
      el('p', { 'data-decision': result.decision }, [el('strong', { text: t('decision')[result.decision] })]),
      el('p', { 'data-reason': result.reason.code, text: t('reason')(result.reason) }),
      ...(result.rankedText ? [el('p', { 'data-ranked': '', text: t('rankedAs')(result.rankedText) })] : []),
      el('p', { class: 'muted', text: t('thresholdsNow')(result.thresholds) }),
      el('table', {}, [
        el('caption', { class: 'visually-hidden', text: t('candidate') }),
        el('thead', {}, [
          el(
            'tr',
            {},
            ['#', t('candidate'), t('what'), t('score')].map((h) => el('th', { scope: 'col', text: h })),
          ),
        ]),
        el('tbody', {}, rows),
      ]),
    );
  } catch (error) {
    handleError(error);
  }
}

// ---- threshold -------------------------------------------------------------------------------

let tuning;

export async function loadTuning() {
  tuning = await api('/api/admin/tuning');
  const at = tuning.points.find((p) => p.threshold === tuning.current.threshold);
  $('#tuning-summary').textContent = t('tuningSummary')(tuning);
  const form = $('#tuning-form');
  if (!form.contains(document.activeElement)) {
    $('#tuning-threshold').value = tuning.current.threshold;
    $('#tuning-margin').value = tuning.current.margin;
  }
  const labels = tuning.points.map((p) => p.threshold.toFixed(2));
  const marked = (p) => (p.threshold === tuning.current.threshold ? 7 : 2);
  drawChart('#tuning-chart', t('tuningChart')({ ...tuning, at }), {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: t('coverage'),
          data: tuning.points.map((p) => p.coverage * 100),
          borderColor: '#0b5cad',
          pointRadius: tuning.points.map(marked),
        },
        {
          label: t('precision'),
          data: tuning.points.map((p) => (p.precision === null ? null : p.precision * 100)),
          borderColor: '#1f7a4d',
          pointRadius: tuning.points.map(marked),
        },
      ],
    },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } } },
  });
  const row = (cells, head = false) =>
    el(
      'tr',
      {},
      cells.map((c) => el(head ? 'th' : 'td', head ? { scope: 'col', text: c } : { text: c })),
    );
  $('#tuning-table').replaceChildren(
    el('table', { 'data-part': 'curve' }, [
      el('caption', { class: 'visually-hidden', text: t('tuningTab') }),
      el('thead', {}, [row([t('threshold'), t('coverage'), t('precision')], true)]),
      el(
        'tbody',
        {},
        tuning.points.map((p) =>
          row([
            `${p.threshold.toFixed(2)}${p.threshold === tuning.current.threshold ? ` (${t('current')})` : ''}`,
            `${Math.round(p.coverage * 100)} %`,
            p.precision === null ? '–' : `${Math.round(p.precision * 100)} %`,
          ]),
        ),
      ),
    ]),
  );
}

function proposed() {
  const threshold = $('#tuning-threshold');
  const margin = $('#tuning-margin');
  for (const input of [threshold, margin]) {
    const n = Number(input.value);
    if (input.value === '' || !(n >= 0 && n <= 1)) {
      fieldError(input, '0 – 1');
      return undefined;
    }
  }
  return { threshold: Number(threshold.value), margin: Number(margin.value) };
}

async function previewTuning() {
  const next = proposed();
  if (!next) return;
  try {
    const result = await api(`/api/admin/tuning/preview?threshold=${next.threshold}&margin=${next.margin}`);
    const say = t('decisionShort');
    $('#tuning-changes').replaceChildren(
      el('p', { text: result.total === 0 ? t('noChanges') : t('changes')(result.total, result.tried) }),
      el(
        'ul',
        { class: 'changes' },
        result.changed.map((c) => el('li', { text: `„${c.text}“: ${say(c.before)} → ${say(c.after)}` })),
      ),
    );
  } catch (error) {
    handleError(error);
  }
}

async function applyTuning(event) {
  event.preventDefault();
  const next = proposed();
  if (!next) return;
  try {
    const { after } = await api('/api/admin/settings/matching', {
      method: 'PUT',
      body: JSON.stringify(next),
    });
    toast(t('applied')(after));
    $('#tuning-changes').replaceChildren();
    await loadTuning();
  } catch (error) {
    handleError(error);
  }
}

export function initCuration() {
  $('#try-form').addEventListener('submit', tryQuestion);
  $('#tuning-preview').addEventListener('click', previewTuning);
  $('#tuning-form').addEventListener('submit', applyTuning);
}
