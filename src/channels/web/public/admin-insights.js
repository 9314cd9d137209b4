// Leads' and curators' views: bringing an FAQ in and out, the figures per day as charts, and the
// audit log.

import { drawChart } from './admin-charts.js';
import { api, errorText, handleError, state, t, time, toast } from './admin-common.js';
import { downloadInto } from './admin-download.js';
import { $, el, figure, figuresTable } from './dom.js';

// ---- import / export -------------------------------------------------------------------------

const FORMAT_OF = { tsv: 'qnamaker', txt: 'qnamaker', csv: 'csv', json: 'json', md: 'markdown' };

async function importFaq(event) {
  event.preventDefault();
  const chosen = [...$('#import-file').files];
  const result = $('#import-result');
  if (chosen.length === 0) {
    result.replaceChildren(el('p', { class: 'error', text: t('needFile') }));
    $('#import-file').focus();
    return;
  }
  const files = await Promise.all(
    chosen.map(async (f) => ({ name: f.webkitRelativePath || f.name, text: await f.text() })),
  );
  const body = { format: $('#import-format').value, files };
  if ($('#import-language').value) body.language = $('#import-language').value;
  try {
    const outcome = await api('/api/admin/faq-import', { method: 'POST', body: JSON.stringify(body) });
    result.replaceChildren(el('p', { 'data-outcome': 'imported', text: t('imported')(outcome) }));
    toast(t('imported')(outcome));
  } catch (error) {
    if (error.code !== 'invalid_import') {
      handleError(error);
      return;
    }
    result.replaceChildren(
      el('p', { class: 'error', text: t('importProblems') }),
      el(
        'ul',
        { class: 'faq-problems', 'data-outcome': 'problems' },
        error.issues.map((i) => el('li', {}, [el('code', { text: i.path }), ` ${i.message}`])),
      ),
    );
  }
}

function exportButtons() {
  const files = { qnamaker: 'faq-qnamaker.tsv', csv: 'faq.csv', json: 'faq.json' };
  return Object.entries(files).map(([format, name]) =>
    el('button', {
      type: 'button',
      text: t('exportAs')(format === 'qnamaker' ? 'QnA Maker (TSV)' : format.toUpperCase()),
      onclick: () =>
        downloadInto($('#export-link'), `/api/admin/faq-export?format=${format}`, name, t('download')).catch(
          handleError,
        ),
    }),
  );
}

// ---- figures ---------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60_000;

function range() {
  const days = Number($('#analytics-range').value);
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return `from=${from}&to=${to}`;
}

const percent = (v) => (v === null ? null : Math.round(v * 100));

export async function loadAnalytics() {
  const { days } = await api(`/api/admin/analytics?${range()}`);
  const labels = days.map((d) => d.day);
  const series = (label, values, color) => ({
    label,
    data: values,
    borderColor: color,
    backgroundColor: color,
    spanGaps: true,
  });
  const total = days.reduce((sum, d) => sum + d.conversations, 0);
  drawChart('#chart-volume', t('volumeChart')(total), {
    type: 'line',
    data: {
      labels,
      datasets: [
        series(
          t('conversations'),
          days.map((d) => d.conversations),
          '#0b5cad',
        ),
        series(
          t('answeredShort'),
          days.map((d) => d.answered),
          '#1f7a4d',
        ),
        series(
          t('handoffs'),
          days.map((d) => d.handoffs),
          '#8a5200',
        ),
      ],
    },
  });
  drawChart('#chart-rates', t('ratesChart'), {
    type: 'line',
    data: {
      labels,
      datasets: [
        series(
          t('deflection'),
          days.map((d) => percent(d.deflection)),
          '#0b5cad',
        ),
        series(
          t('feedbackRatio'),
          days.map((d) => percent(d.feedbackRatio)),
          '#1f7a4d',
        ),
        series(
          t('slaCompliance'),
          days.map((d) => percent(d.slaCompliance)),
          '#b42318',
        ),
      ],
    },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } } },
  });
  drawChart('#chart-times', t('timesChart'), {
    type: 'bar',
    data: {
      labels,
      datasets: [
        series(
          t('claimMinutes'),
          days.map((d) => d.medianMinutesToClaim),
          '#0b5cad',
        ),
        series(
          t('resolveMinutes'),
          days.map((d) => d.medianMinutesToResolve),
          '#8a5200',
        ),
      ],
    },
  });
  const show = figure;
  const heads = [
    t('day'),
    t('conversations'),
    t('answeredShort'),
    t('deflection'),
    t('handoffs'),
    t('byQueue'),
    t('topEntries'),
    t('feedbackRatio'),
    t('satisfaction'),
    t('slaCompliance'),
    t('claimMinutes'),
    t('resolveMinutes'),
  ];
  $('#analytics-table').replaceChildren(
    figuresTable(
      'figures',
      t('analyticsTab'),
      heads,
      [...days].reverse().map((d) => [
        { 'data-day': d.day },
        [
          d.day,
          d.conversations,
          d.answered,
          show(percent(d.deflection), ' %'),
          d.handoffs,
          Object.entries(d.handoffsByQueue)
            .map(([q, n]) => `${q}: ${n}`)
            .join(', ') || '–',
          d.topEntries.map((e) => `${e.id} (${e.count})`).join(', ') || '–',
          show(percent(d.feedbackRatio), ' %'),
          show(d.satisfaction),
          show(percent(d.slaCompliance), ' %'),
          show(d.medianMinutesToClaim),
          show(d.medianMinutesToResolve),
        ],
      ]),
    ),
  );
}

// ---- audit log -------------------------------------------------------------------------------

const brief = (value) => (value === undefined ? '' : JSON.stringify(value).slice(0, 160));

export async function loadAudit() {
  const { events } = await api('/api/admin/audit?limit=200');
  $('#audit-rows').replaceChildren(
    ...events.map((e) =>
      el('tr', {}, [
        el('td', { text: time(e.at) }),
        el('td', { text: e.actor }),
        el('td', { class: 'mono', text: e.action }),
        el('td', { text: [e.target, e.detail].filter(Boolean).join(' · ') }),
        el('td', {
          class: 'mono',
          text:
            e.before === undefined && e.after === undefined
              ? '–'
              : `${brief(e.before) || '∅'} → ${brief(e.after) || '∅'}`,
        }),
      ]),
    ),
  );
}

export function initInsights(refresh) {
  $('#import-form').addEventListener('submit', (event) =>
    importFaq(event).catch((error) => toast(errorText(error), true)),
  );
  $('#import-file').addEventListener('change', () => {
    const name = $('#import-file').files[0]?.name ?? '';
    const format = FORMAT_OF[name.split('.').pop()?.toLowerCase()];
    if (format) $('#import-format').value = format;
  });
  $('#export-buttons').replaceChildren(...exportButtons());
  $('#analytics-range').addEventListener('change', () => loadAnalytics().catch(handleError));
  const download = (format) => () =>
    downloadInto(
      $('#analytics-download'),
      `/api/admin/analytics?${range()}&format=${format}`,
      `analytics.${format}`,
      t('download'),
    ).catch(handleError);
  $('#analytics-csv').addEventListener('click', download('csv'));
  $('#analytics-json').addEventListener('click', download('json'));
  $('#audit-csv').addEventListener('click', () =>
    downloadInto(
      $('#audit-download'),
      '/api/admin/audit?format=csv&limit=10000',
      'audit.csv',
      t('download'),
    ).catch(handleError),
  );
  // Export buttons are made in the language of the moment; remake them when it changes.
  $('#lang-toggle').addEventListener('click', () => {
    $('#export-buttons').replaceChildren(...exportButtons());
    if (state.tab === 'analytics' || state.tab === 'tuning') refresh();
  });
}
