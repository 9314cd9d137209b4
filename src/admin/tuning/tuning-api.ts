import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { Language } from '../../core/language.ts';
import type { Matcher } from '../../core/match.ts';
import type { Stores } from '../../core/ports.ts';
import { sendError, sendJson } from '../../http/http-json.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { readValidBody } from '../../http/read-valid-body.ts';
import { actorOf, principalOf, type RouteGuard } from '../accounts/console-access.ts';
import { explainMatch } from './explain-match.ts';
import { type MatchSettings, MatchThresholdsSchema } from './match-settings.ts';
import { changedQuestions, coverageCurve, curveThresholds, knownAnswers } from './replay-questions.ts';

/** Recent questions a new setting is tried on. */
const PREVIEW_QUESTIONS = 1000;

const TryBodySchema = z
  .object({ text: z.string().trim().min(1).max(1000), language: z.enum(['de', 'en']).optional() })
  .strict();

export interface TuningApiOptions {
  settings: MatchSettings;
  stores: Pick<Stores, 'questions' | 'audit'>;
  matcher: Matcher;
  /** The FAQ's titles, for the console to name candidates. */
  title: (id: string, language: Language) => string | undefined;
  auth: RouteGuard;
  clock: Clock;
}

/**
 * The matcher for curators: "Try it" (`POST /api/admin/try`: ranked candidates, thresholds and
 * why), the coverage/precision curve from logged questions with an outcome (`GET
 * /api/admin/tuning`), what a new setting would change (`GET /api/admin/tuning/preview`), and
 * setting it for every process (`PUT /api/admin/settings/matching`).
 */
export class TuningApi {
  constructor(private readonly options: TuningApiOptions) {}

  mount(server: HttpServer): void {
    const { auth } = this.options;
    server.mount(
      'POST',
      '/api/admin/try',
      auth.guard((req, res) => this.try(req, res)),
    );
    server.mount(
      'GET',
      '/api/admin/tuning',
      auth.guard((_req, res) => this.curve(res)),
    );
    server.mount(
      'GET',
      '/api/admin/tuning/preview',
      auth.guard((req, res) => this.preview(req, res)),
    );
    server.mount(
      'PUT',
      '/api/admin/settings/matching',
      auth.guard((req, res) => this.set(req, res)),
    );
  }

  private async try(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const asked = await readValidBody(req, res, TryBodySchema, 'Send {"text": "a question"}.');
    if (!asked) return;
    const { matcher, settings } = this.options;
    const options = {
      limit: 5,
      ...(asked.language ? { languageHint: asked.language as Language } : {}),
    };
    const result = matcher.matchAsync
      ? await matcher.matchAsync(asked.text, options)
      : matcher.match(asked.text, options);
    const thresholds = settings.current;
    sendJson(res, 200, {
      language: result.language,
      thresholds,
      ...(result.rankedText !== undefined ? { rankedText: result.rankedText } : {}),
      candidates: result.candidates.map((c) => ({
        ...c,
        title: c.kind === 'faq' ? (this.options.title(c.id, result.language) ?? c.title) : c.title,
      })),
      ...explainMatch(result, thresholds),
    });
  }

  private async curve(res: ServerResponse): Promise<void> {
    const { settings, stores } = this.options;
    const [questions, outcomes] = await Promise.all([stores.questions.list(), stores.questions.outcomes()]);
    const current = settings.current;
    const { judged, points } = coverageCurve(
      questions,
      knownAnswers(outcomes),
      current.margin,
      curveThresholds(current.threshold),
    );
    sendJson(res, 200, { current, defaults: settings.defaults, logged: questions.length, judged, points });
  }

  private async preview(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { settings, stores } = this.options;
    const current = settings.current;
    const proposed = MatchThresholdsSchema.safeParse({
      threshold: Number(url.searchParams.get('threshold') ?? current.threshold),
      margin: Number(url.searchParams.get('margin') ?? current.margin),
    });
    if (!proposed.success) {
      sendError(res, 400, {
        code: 'invalid_query',
        message: 'threshold and margin are numbers from 0 to 1.',
      });
      return;
    }
    const [questions, outcomes] = await Promise.all([
      stores.questions.list(PREVIEW_QUESTIONS),
      stores.questions.outcomes(),
    ]);
    const changed = changedQuestions(questions, knownAnswers(outcomes), current, proposed.data);
    sendJson(res, 200, {
      current,
      proposed: proposed.data,
      tried: questions.length,
      changed: changed.slice(0, 200),
      total: changed.length,
    });
  }

  private async set(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const next = await readValidBody(
      req,
      res,
      MatchThresholdsSchema,
      'threshold and margin are numbers from 0 to 1.',
    );
    if (!next) return;
    const before = await this.options.settings.set(next);
    const after = this.options.settings.current;
    await this.options.stores.audit.append({
      at: this.options.clock.now(),
      actor: actorOf(principalOf(req), undefined),
      action: 'settings.matching',
      target: 'matching',
      before,
      after,
    });
    sendJson(res, 200, { before, after });
  }
}
