// The monthly SLA report in the console (leads and curators): per organisation and priority, the
// share of reactions and resolutions in time as a chart, every figure in a table beside it, and
// the report as CSV or Markdown to pass on (GET /api/admin/reports/sla).

import { drawChart } from './admin-charts.js';
import { api, handleError, t } from './admin-common.js';
import { downloadInto } from './admin-download.js';
import { $, el, figure, figuresTable } from './dom.js';

const lastMonth = () => {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return first.toISOString().slice(0, 7);
};

function query() {
  const month = $('#sla-month').value || lastMonth();
  const org = $('#sla-org').value.trim();
  return `month=${encodeURIComponent(month)}${org ? `&org=${encodeURIComponent(org)}` : ''}`;
}

const show = figure;

export async function loadSlaReport() {
  if (!$('#sla-month').value) $('#sla-month').value = lastMonth();
  const report = await api(`/api/admin/reports/sla?${query()}`);
  const names = new Map(report.organisations.map((o) => [o.id, o.name]));
  const labels = report.rows.map((r) => `${names.get(r.organisation) ?? r.organisation} ${r.priority}`);
  drawChart('#chart-sla', t('slaChart')(report.month, report.rows.length), {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: t('reactionMet'),
          data: report.rows.map((r) => r.reactionMetPercent),
          backgroundColor: '#0b5cad',
        },
        {
          label: t('resolutionMet'),
          data: report.rows.map((r) => r.resolutionMetPercent),
          backgroundColor: '#1f7a4d',
        },
      ],
    },
    options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } } },
  });
  const heads = [
    t('slaOrganisation'),
    t('slaPriority'),
    t('slaTickets'),
    t('reactionMet'),
    t('resolutionMet'),
    t('reactionMedianP95'),
    t('resolutionMedianP95'),
    t('slaEscalations'),
    t('billableQuarterHours'),
    t('satisfaction'),
  ];
  $('#sla-table').replaceChildren(
    figuresTable(
      'sla-report',
      t('slaReport'),
      heads,
      report.rows.map((r) => [
        { 'data-organisation': r.organisation, 'data-priority': r.priority },
        [
          names.get(r.organisation) ?? r.organisation,
          r.priority,
          r.tickets,
          show(r.reactionMetPercent, ' %'),
          show(r.resolutionMetPercent, ' %'),
          `${show(r.reactionMedianMinutes)} / ${show(r.reactionP95Minutes)}`,
          `${show(r.resolutionMedianMinutes)} / ${show(r.resolutionP95Minutes)}`,
          r.escalations,
          r.billableQuarterHours,
          show(r.satisfaction),
        ],
      ]),
    ),
  );
  $('#sla-balances').replaceChildren(
    ...report.organisations
      .filter((o) => o.blockHours)
      .map((o) =>
        el('p', { text: t('blockHoursLeft')(o.name, o.blockHours.hoursLeft, o.blockHours.hoursBought) }),
      ),
    // Availability per service against the contract (incidents count, announced maintenance does not).
    ...report.organisations
      .filter((o) => o.availability.some((a) => a.measuredPercent !== null))
      .map((o) => el('p', { text: t('availabilityLine')(o.name, o.availability) })),
  );
}

export function initSlaReport() {
  $('#sla-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadSlaReport().catch(handleError);
  });
  const download = (format) => () =>
    downloadInto(
      $('#sla-download'),
      `/api/admin/reports/sla?${query()}&format=${format}`,
      `sla.${format}`,
      t('download'),
    ).catch(handleError);
  $('#sla-csv').addEventListener('click', download('csv'));
  $('#sla-md').addEventListener('click', download('md'));
}
