import { stringify } from 'csv-stringify/sync';
import type { SlaReport, SlaReportRow } from './sla-report.ts';

export const REPORT_FORMATS = ['json', 'csv', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const COLUMNS: (keyof SlaReportRow)[] = [
  'organisation',
  'priority',
  'tickets',
  'reactionMetPercent',
  'resolutionMetPercent',
  'reactionMedianMinutes',
  'reactionP95Minutes',
  'resolutionMedianMinutes',
  'resolutionP95Minutes',
  'escalations',
  'billableQuarterHours',
  'ratings',
  'satisfaction',
];

/** Columns of the availability lines, after the priority lines' columns. */
const AVAILABILITY_COLUMNS = [
  'service',
  'availabilityAgreedPercent',
  'availabilityMeasuredPercent',
  'availabilityMet',
] as const;

const cell = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/**
 * One line per organisation and priority, then one per organisation and service with its agreed
 * and measured availability (those lines have `service` set and the priority columns empty), so
 * one table carries what the JSON and Markdown reports say. csv-stringify quotes what needs it.
 */
export function slaReportCsv(report: SlaReport): string {
  const priorityLines = report.rows.map((row) => [
    ...COLUMNS.map((c) => cell(row[c])),
    ...AVAILABILITY_COLUMNS.map(() => ''),
  ]);
  const availabilityLines = report.organisations.flatMap((org) =>
    org.availability.map((a) => [
      ...COLUMNS.map((c) => (c === 'organisation' ? org.id : '')),
      a.service,
      cell(a.agreedPercent),
      cell(a.measuredPercent),
      cell(a.met),
    ]),
  );
  return stringify([...priorityLines, ...availabilityLines], {
    header: true,
    columns: [...COLUMNS, ...AVAILABILITY_COLUMNS],
  });
}

/** The report as Markdown tables: for a mail to the customer or a wiki page. */
export function slaReportMarkdown(report: SlaReport): string {
  const lines = [`# SLA report ${report.month}`, '', `${report.from} – ${report.to}`, ''];
  for (const org of report.organisations) {
    lines.push(`## ${org.name} (${org.id}), SLA ${org.tier}${org.model ? `, ${org.model}` : ''}`, '');
    lines.push(
      '| Priority | Tickets | Reaction met % | Resolution met % | Reaction median / p95 (min) | Resolution median / p95 (min) | Escalations | Billable ¼ h | Satisfaction |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const row of report.rows.filter((r) => r.organisation === org.id)) {
      lines.push(
        `| ${row.priority} | ${row.tickets} | ${cell(row.reactionMetPercent)} | ${cell(row.resolutionMetPercent)} | ${cell(row.reactionMedianMinutes)} / ${cell(row.reactionP95Minutes)} | ${cell(row.resolutionMedianMinutes)} / ${cell(row.resolutionP95Minutes)} | ${row.escalations} | ${row.billableQuarterHours} | ${cell(row.satisfaction)} |`,
      );
    }
    lines.push('');
    if (org.blockHours) {
      const b = org.blockHours;
      lines.push(`Block hours: ${b.hoursLeft} of ${b.hoursBought} h left (${b.hoursUsed} h used).`, '');
    }
    if (org.availability.length > 0) {
      const figures = org.availability
        .map((a) =>
          a.measuredPercent === null
            ? `${a.service} ${a.agreedPercent} % agreed`
            : `${a.service} ${a.measuredPercent} % of ${a.agreedPercent} % agreed (${a.met ? 'met' : 'missed'})`,
        )
        .join(', ');
      lines.push(`Availability: ${figures}.`, '');
    }
  }
  const share = report.bot.answeredWithoutPersonPercent;
  lines.push(
    `Bot: ${report.bot.conversations} conversations, ${report.bot.handoffs} hand-offs` +
      (share === null ? '.' : `, ${share} % without a person.`),
    '',
  );
  return lines.join('\n');
}

export function formatSlaReport(report: SlaReport, format: ReportFormat): string {
  if (format === 'csv') return slaReportCsv(report);
  if (format === 'md') return slaReportMarkdown(report);
  return `${JSON.stringify(report, null, 2)}\n`;
}
