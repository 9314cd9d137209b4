import { parseArgs } from 'node:util';
import { checkBotFiles } from '../../bot-files/load-bot-files.ts';
import { type Config, parseConfig } from '../../config/config.ts';
import { systemClock } from '../../core/clock.ts';
import { ValidationFailedError } from '../../core/errors.ts';
import { CustomerDirectory } from '../../handoff/customer-directory.ts';
import { argsOrExit } from '../command-args.ts';
import { runningBotToken, runningBotUrl, withStoresOrBot } from '../running-bot.ts';
import { checkReportRequest, loadSlaReport } from './load-sla-report.ts';
import { formatSlaReport, REPORT_FORMATS, type ReportFormat } from './sla-report-format.ts';

interface ReportIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `usage: support-bot report sla --month YYYY-MM [--org ID] [--format json|csv|md]
  The month's SLA figures per organisation and priority: tickets, reaction and resolution met in %,
  median and 95th percentile in business minutes, escalations, billable quarter hours, block hours,
  satisfaction, the bot's share without a person. --org - reports customers without a contract.
  The same as GET /api/admin/reports/sla. With the embedded store and the bot running, the
  command asks the running bot (ADMIN_TOKEN or DATA_DIR/admin-token).`;

/** `support-bot report sla`: the monthly SLA report on stdout. */
export async function runReport(args: string[], io: ReportIo): Promise<number> {
  const parsed = argsOrExit(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          month: { type: 'string' },
          org: { type: 'string' },
          format: { type: 'string' },
          help: { type: 'boolean' },
        },
      }),
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const format = (values.format ?? 'json') as ReportFormat;
  if (
    positionals[0] !== 'sla' ||
    positionals.length !== 1 ||
    !values.month ||
    !REPORT_FORMATS.includes(format)
  ) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const config = parseConfig(io.env);
    const { support, customers } = await checkBotFiles(config);
    const directory = new CustomerDirectory(customers);
    const request = { month: values.month, organisation: values.org };
    const checked = checkReportRequest(request, directory);
    if (!checked.ok) {
      io.stderr.write(`${checked.message}\n`);
      return 2;
    }
    return await withStoresOrBot(
      config,
      async (stores) => {
        const report = await loadSlaReport(request, {
          stores,
          support,
          customers: directory,
          clock: systemClock,
        });
        io.stdout.write(formatSlaReport(report, format));
        return 0;
      },
      () => askRunningBot(config, request, format, io),
    );
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The embedded store belongs to the running bot: its admin API makes the same report. */
async function askRunningBot(
  config: Config,
  request: { month: string; organisation?: string | undefined },
  format: ReportFormat,
  io: ReportIo,
): Promise<number> {
  const token = await runningBotToken(config);
  const query = new URLSearchParams({ month: request.month, format });
  if (request.organisation) query.set('org', request.organisation);
  const response = await fetch(runningBotUrl(config, `/api/admin/reports/sla?${query}`), {
    headers: { Authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (!response.ok) {
    io.stderr.write(`the running bot answered ${response.status}: ${text}\n`);
    return 1;
  }
  io.stdout.write(format === 'json' ? `${JSON.stringify(JSON.parse(text), null, 2)}\n` : text);
  return 0;
}
