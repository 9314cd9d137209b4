import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from '../channels/web/http-json.ts';
import type { HttpServer, RouteParams } from '../channels/web/http-server.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { isLanguage, type Language } from '../core/language.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Stores, UnansweredQuestion } from '../store/ports.ts';
import { actorOf, principalOf, type RouteGuard } from './accounts/console-access.ts';
import { collectStats } from './collect-stats.ts';
import { type FaqTitles, faqTitle } from './ticket-view.ts';

/** FAQ title search, as the understanding offers it (both languages, best first). */
export interface FaqTitleSearch {
  searchTitles(
    query: string,
    limit?: number,
  ): readonly { id: string; title: string; language: Language; score: number }[];
}

export interface CurationApiOptions {
  stores: Pick<Stores, 'unanswered' | 'feedback' | 'counters' | 'tickets' | 'audit'>;
  /** Curators and admins. */
  auth: RouteGuard;
  /** Today's figures: everyone signed in (default: `auth`). */
  statsAuth?: RouteGuard | undefined;
  faq?: FaqTitleSearch | undefined;
  /** The FAQ, so a best guess or a feedback entry is shown by its title, not its id. */
  titles?: FaqTitles | undefined;
  clock?: Clock | undefined;
  log?: Logger | undefined;
}

const UNANSWERED_STATUSES: UnansweredQuestion['status'][] = ['open', 'answered', 'dismissed'];

function intParam(url: URL, name: string, fallback: number, max: number): number | undefined {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  if (!/^\d{1,6}$/.test(text)) return undefined;
  return Math.min(Number(text), max);
}

/**
 * What curators look at in the console: questions the bot could not answer, feedback, today's
 * figures, and a title search over the FAQ (to link an unanswered question to an entry).
 */
export class CurationApi {
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly options: CurationApiOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = (options.log ?? silentLogger).child({ component: 'curation-api' });
  }

  mount(server: HttpServer): void {
    const { auth } = this.options;
    server.mount(
      'GET',
      '/api/admin/unanswered',
      auth.guard((req, res) => this.unanswered(req, res)),
    );
    server.mount(
      'POST',
      '/api/admin/unanswered/:id/dismiss',
      auth.guard((req, res, params) => this.setStatus(req, res, params, 'dismissed')),
    );
    server.mount(
      'POST',
      '/api/admin/unanswered/:id/answered',
      auth.guard((req, res, params) => this.setStatus(req, res, params, 'answered')),
    );
    server.mount(
      'GET',
      '/api/admin/feedback',
      auth.guard((req, res) => this.feedback(req, res)),
    );
    server.mount(
      'GET',
      '/api/admin/stats',
      (this.options.statsAuth ?? auth).guard((_req, res) => this.stats(res)),
    );
    server.mount(
      'GET',
      '/api/admin/faq',
      auth.guard((req, res) => this.faq(req, res)),
    );
  }

  private async unanswered(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const status = url.searchParams.get('status') ?? 'open';
    if (status !== 'all' && !(UNANSWERED_STATUSES as string[]).includes(status)) {
      sendError(res, 400, {
        code: 'invalid_query',
        message: 'status is one of open, answered, dismissed, all.',
      });
      return;
    }
    const questions = await this.options.stores.unanswered.list(
      status === 'all' ? undefined : (status as UnansweredQuestion['status']),
    );
    const { titles } = this.options;
    sendJson(res, 200, {
      // A best guess that is no FAQ entry (an intent such as "talk to a person") gets no title:
      // the console shows none and offers nothing to teach.
      questions: questions.map((q) =>
        q.bestGuess && titles?.get(q.bestGuess.id, 'de')
          ? { ...q, bestGuess: { ...q.bestGuess, title: faqTitle(titles, q.bestGuess.id, q.bestGuess.id) } }
          : q,
      ),
    });
  }

  private async setStatus(
    req: IncomingMessage,
    res: ServerResponse,
    params: RouteParams,
    status: UnansweredQuestion['status'],
  ): Promise<void> {
    // No body needed; drain whatever came so the connection stays usable.
    req.resume();
    const id = params.id ?? '';
    const all = await this.options.stores.unanswered.list();
    if (!all.some((q) => q.id === id)) {
      sendError(res, 404, { code: 'question_not_found', message: `No unanswered question ${id}.` });
      return;
    }
    await this.options.stores.unanswered.setStatus(id, status);
    await this.options.stores.audit.append({
      at: this.clock.now(),
      actor: actorOf(principalOf(req), undefined),
      action: `unanswered.${status}`,
      target: id,
    });
    this.log.info('unanswered question updated', { id, status });
    sendJson(res, 200, { id, status });
  }

  private async feedback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const limit = intParam(url, 'limit', 100, 1000);
    const helpful = url.searchParams.get('helpful');
    if (limit === undefined || (helpful !== null && helpful !== 'true' && helpful !== 'false')) {
      sendError(res, 400, { code: 'invalid_query', message: 'limit is a number; helpful is true or false.' });
      return;
    }
    // Filter before limiting, so "the last 100 negative ones" means that.
    const all = await this.options.stores.feedback.list();
    const filtered = helpful === null ? all : all.filter((f) => f.helpful === (helpful === 'true'));
    const { titles } = this.options;
    sendJson(res, 200, {
      feedback: filtered
        .slice(0, limit)
        .map((f) => ({ ...f, entryTitle: faqTitle(titles, f.entryId, f.entryId) })),
    });
  }

  private async stats(res: ServerResponse): Promise<void> {
    sendJson(res, 200, await collectStats(this.options.stores, this.clock.now()));
  }

  private async faq(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = (url.searchParams.get('q') ?? '').trim();
    const language = url.searchParams.get('language') ?? undefined;
    const limit = intParam(url, 'limit', 10, 50);
    if (q.length > 200 || limit === undefined || (language !== undefined && !isLanguage(language))) {
      sendError(res, 400, {
        code: 'invalid_query',
        message: 'q is up to 200 characters, language is de or en, limit a number.',
      });
      return;
    }
    if (!this.options.faq) {
      sendError(res, 503, { code: 'faq_unavailable', message: 'The FAQ is not loaded.' });
      return;
    }
    // Ask for more when filtering by language, so the filter does not starve the limit.
    const hits = q === '' ? [] : this.options.faq.searchTitles(q, language ? limit * 2 : limit);
    const results = hits.filter((h) => language === undefined || h.language === language).slice(0, limit);
    sendJson(res, 200, { results });
  }
}
