import type { IncomingMessage, ServerResponse } from 'node:http';
import { BASE_HEADERS, sendError, sendJson } from '../../channels/web/http-json.ts';
import type { HttpServer } from '../../channels/web/http-server.ts';
import type { Clock } from '../../core/clock.ts';
import type { CustomerDirectory } from '../../handoff/customer-directory.ts';
import type { SupportConfig } from '../../handoff/support-config.ts';
import type { Stores } from '../../store/ports.ts';
import type { RouteGuard } from '../accounts/console-access.ts';
import { checkReportRequest, loadSlaReport } from './load-sla-report.ts';
import { formatSlaReport, REPORT_FORMATS, type ReportFormat } from './sla-report-format.ts';

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

/** `GET /api/admin/reports/sla?month=YYYY-MM[&org=ID][&format=json|csv|md]`: the monthly SLA report. */
export class ReportApi {
  constructor(
    private readonly options: {
      stores: Pick<Stores, 'tickets' | 'counters' | 'announcements'>;
      support: SupportConfig;
      customers: CustomerDirectory;
      auth: RouteGuard;
      clock: Clock;
    },
  ) {}

  mount(server: HttpServer): void {
    server.mount(
      'GET',
      '/api/admin/reports/sla',
      this.options.auth.guard((req, res) => this.get(req, res)),
    );
  }

  private async get(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const month = url.searchParams.get('month') ?? '';
    const organisation = url.searchParams.get('org') ?? undefined;
    const format = (url.searchParams.get('format') ?? 'json') as ReportFormat;
    const checked = checkReportRequest({ month, organisation }, this.options.customers);
    if (!checked.ok || !REPORT_FORMATS.includes(format)) {
      sendError(res, 400, {
        code: 'invalid_query',
        message: checked.ok ? `format must be one of ${REPORT_FORMATS.join(', ')}` : checked.message,
      });
      return;
    }
    const report = await loadSlaReport({ month, organisation }, this.options);
    if (format === 'json') {
      sendJson(res, 200, report);
      return;
    }
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="sla-${month}${organisation ? `-${organisation}` : ''}.${format}"`,
      'Cache-Control': 'no-store',
    });
    res.end(formatSlaReport(report, format));
  }
}
