import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify } from 'csv-stringify/sync';
import type { Clock } from '../../core/clock.ts';
import { counterDay } from '../../core/counters.ts';
import type { Stores } from '../../core/ports.ts';
import { BASE_HEADERS, sendError, sendJson } from '../../http/http-json.ts';
import type { HttpServer } from '../../http/http-server.ts';
import type { RouteGuard } from '../accounts/console-access.ts';
import { type DayFigures, dailyFigures, daysBetween, MAX_DAYS } from './daily-figures.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60_000;

/** `GET /api/admin/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv`: figures per day. */
export class AnalyticsApi {
  constructor(
    private readonly options: {
      stores: Pick<Stores, 'counters' | 'tickets'>;
      auth: RouteGuard;
      clock: Clock;
    },
  ) {}

  mount(server: HttpServer): void {
    server.mount(
      'GET',
      '/api/admin/analytics',
      this.options.auth.guard((req, res) => this.get(req, res)),
    );
  }

  private async get(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const now = this.options.clock.now();
    const to = url.searchParams.get('to') ?? counterDay(now);
    const from = url.searchParams.get('from') ?? counterDay(now - 29 * DAY_MS);
    const format = url.searchParams.get('format') ?? 'json';
    const span = (Date.parse(to) - Date.parse(from)) / DAY_MS;
    if (
      !DAY.test(from) ||
      !DAY.test(to) ||
      !(span >= 0 && span < MAX_DAYS) ||
      (format !== 'json' && format !== 'csv')
    ) {
      sendError(res, 400, {
        code: 'invalid_query',
        message: `from and to are days (YYYY-MM-DD), from not after to, at most ${MAX_DAYS} days; format json or csv.`,
      });
      return;
    }
    const days = await dailyFigures(this.options.stores, daysBetween(from, to));
    if (format === 'json') {
      sendJson(res, 200, { from, to, days });
      return;
    }
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="analytics-${from}-${to}.csv"`,
      'Cache-Control': 'no-store',
    });
    res.end(toCsv(days));
  }
}

const pairs = (values: Record<string, number> | { id: string; count: number }[]) =>
  (Array.isArray(values) ? values.map((v) => [v.id, v.count] as const) : Object.entries(values))
    .map(([key, count]) => `${key}=${count}`)
    .join(';');

function toCsv(days: readonly DayFigures[]): string {
  const columns = [
    'day',
    'conversations',
    'answered',
    'deflection',
    'handoffs',
    'handoffs_by_queue',
    'top_entries',
    'helpful',
    'not_helpful',
    'feedback_ratio',
    'ratings',
    'satisfaction',
    'sla_closed',
    'sla_met',
    'sla_compliance',
    'median_minutes_to_claim',
    'median_minutes_to_resolve',
  ];
  const cell = (v: number | null) => (v === null ? '' : String(v));
  return stringify(
    days.map((d) => [
      d.day,
      d.conversations,
      d.answered,
      cell(d.deflection),
      d.handoffs,
      pairs(d.handoffsByQueue),
      pairs(d.topEntries),
      d.helpful,
      d.notHelpful,
      cell(d.feedbackRatio),
      d.ratings,
      cell(d.satisfaction),
      d.slaClosed,
      d.slaMet,
      cell(d.slaCompliance),
      cell(d.medianMinutesToClaim),
      cell(d.medianMinutesToResolve),
    ]),
    { header: true, columns },
  );
}
