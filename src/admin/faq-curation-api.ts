import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isLanguage, type Language } from '../core/language.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { BASE_HEADERS, readJson, sendError, sendJson } from '../http/http-json.ts';
import type { HttpServer, RouteParams } from '../http/http-server.ts';
import {
  type CurationProblem,
  FaqDraftSchema,
  uniqueProblems,
  zodProblems,
} from '../knowledge/check-faq-draft.ts';
import type { CurationFailure } from '../knowledge/curation-outcome.ts';
import type { KnowledgeCuration } from '../knowledge/knowledge-curation.ts';
import { actorOf, principalOf, type RouteGuard } from './accounts/console-access.ts';

export interface FaqCurationApiOptions {
  curation: KnowledgeCuration;
  /** Curators and admins. */
  auth: RouteGuard;
  log?: Logger | undefined;
}

const ReasonSchema = z.string().trim().max(500).optional();
/** The name the admin typed into the console; self-declared, like an agent's name on tickets. */
const BySchema = z.string().trim().min(1).max(100).optional();

/** PUT body: the entry without id and language (they are in the URL) and `updated` (stamped). */
const FaqEditBodySchema = FaqDraftSchema.omit({ id: true, language: true, updated: true })
  .extend({ reason: ReasonSchema, by: BySchema })
  .strict();

const RetireBodySchema = z.object({ reason: ReasonSchema, by: BySchema }).strict();
const AnswerBodySchema = z
  .object({ entryId: z.string().min(1).max(100), reason: ReasonSchema, by: BySchema })
  .strict();

const STATUS: Record<CurationFailure['code'], number> = {
  invalid_entry: 400,
  invalid_suggestion: 400,
  entry_not_found: 404,
  question_not_found: 404,
  ticket_not_found: 404,
  entry_referenced: 409,
};

const MESSAGE: Record<CurationFailure['code'], string> = {
  invalid_entry: 'The entry was not saved; fix every problem listed.',
  invalid_suggestion: 'The suggestion was not filed; fix every problem listed.',
  entry_not_found: 'No such FAQ entry.',
  question_not_found: 'No such unanswered question.',
  ticket_not_found: 'No such ticket.',
  entry_referenced: 'Other entries link to this one; remove those links first.',
};

/**
 * The console's FAQ editing: read an entry with its history, save a language version, retire
 * it, teach an entry an unanswered question, and export the Markdown file to commit.
 */
export class FaqCurationApi {
  private readonly log: Logger;

  constructor(private readonly options: FaqCurationApiOptions) {
    this.log = options.log ?? silentLogger;
  }

  mount(server: HttpServer): void {
    const { auth } = this.options;
    server.mount(
      'GET',
      '/api/admin/faq/:id',
      auth.guard((_req, res, params) => this.get(res, params)),
    );
    server.mount(
      'PUT',
      '/api/admin/faq/:id/:language',
      auth.guard((req, res, params) => this.put(req, res, params)),
    );
    server.mount(
      'DELETE',
      '/api/admin/faq/:id/:language',
      auth.guard((req, res, params) => this.retire(req, res, params)),
    );
    server.mount(
      'GET',
      '/api/admin/faq/:id/:language/export',
      auth.guard((_req, res, params) => this.export(res, params)),
    );
    server.mount(
      'POST',
      '/api/admin/unanswered/:id/answer',
      auth.guard((req, res, params) => this.answer(req, res, params)),
    );
  }

  private async get(res: ServerResponse, params: RouteParams): Promise<void> {
    const id = params.id ?? '';
    const view = await this.options.curation.get(id);
    if (!view) {
      sendError(res, 404, { code: 'entry_not_found', message: `No FAQ entry "${id}".` });
      return;
    }
    sendJson(res, 200, { ...view, version: this.options.curation.version });
  }

  private async put(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const language = this.language(req, res, params);
    if (!language) return;
    const body = await readJson(req);
    if (!body.ok) {
      sendError(res, body.status, body.error);
      return;
    }
    const value = body.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      sendError(res, 400, { code: 'invalid_body', message: 'Send the entry as a JSON object.' });
      return;
    }
    const { reason: _reason, by: _by, ...fields } = value as Record<string, unknown>;
    const draft = { ...fields, id: params.id ?? '', language };
    // The body's own shape and the entry checks (links, repeated phrasings) are listed together.
    const parsed = FaqEditBodySchema.safeParse(value);
    const problems = uniqueProblems([
      ...(parsed.success ? [] : zodProblems(parsed.error.issues)),
      ...this.options.curation.check(draft),
    ]);
    if (problems.length > 0 || !parsed.success) {
      sendProblems(res, { ok: false, code: 'invalid_entry', problems });
      return;
    }
    const outcome = await this.options.curation.save(draft, {
      actor: actorOf(principalOf(req), parsed.data.by),
      reason: parsed.data.reason,
    });
    if (!outcome.ok) {
      sendProblems(res, outcome);
      return;
    }
    this.log.info('faq entry saved from the console', { id: draft.id, language, changed: outcome.changed });
    sendJson(res, outcome.created ? 201 : 200, {
      entry: outcome.entry,
      created: outcome.created,
      changed: outcome.changed,
      version: outcome.revision?.version ?? this.options.curation.version,
    });
  }

  private async retire(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const language = this.language(req, res, params);
    if (!language) return;
    const body = await readJson(req, { allowEmpty: true });
    if (!body.ok) {
      sendError(res, body.status, body.error);
      return;
    }
    const parsed = RetireBodySchema.safeParse(body.value);
    if (!parsed.success) {
      sendProblems(res, { ok: false, code: 'invalid_entry', problems: zodProblems(parsed.error.issues) });
      return;
    }
    const outcome = await this.options.curation.retire(params.id ?? '', language, {
      actor: actorOf(principalOf(req), parsed.data.by),
      reason: parsed.data.reason,
    });
    if (!outcome.ok) {
      sendProblems(res, outcome);
      return;
    }
    sendJson(res, 200, { retired: { id: params.id, language }, version: outcome.revision.version });
  }

  private export(res: ServerResponse, params: RouteParams): void {
    const language = params.language ?? '';
    if (!isLanguage(language)) {
      sendError(res, 404, { code: 'entry_not_found', message: 'The language is de or en.' });
      return;
    }
    const outcome = this.options.curation.exportMarkdown(params.id ?? '', language);
    if (!outcome.ok) {
      sendProblems(res, outcome);
      return;
    }
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/markdown; charset=utf-8',
      'Content-Disposition': `attachment; filename="${params.id}.md"`,
      'Cache-Control': 'no-store',
      // Where the file goes in the repository, e.g. knowledge/de/vpn-setup.md.
      'X-Knowledge-Path': outcome.path,
    });
    res.end(outcome.text);
  }

  private async answer(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const body = await readJson(req);
    if (!body.ok) {
      sendError(res, body.status, body.error);
      return;
    }
    const parsed = AnswerBodySchema.safeParse(body.value);
    if (!parsed.success) {
      sendProblems(res, { ok: false, code: 'invalid_entry', problems: zodProblems(parsed.error.issues) });
      return;
    }
    const outcome = await this.options.curation.answerUnanswered(params.id ?? '', parsed.data.entryId, {
      actor: actorOf(principalOf(req), parsed.data.by),
      reason: parsed.data.reason,
    });
    if (!outcome.ok) {
      sendProblems(res, outcome);
      return;
    }
    sendJson(res, 200, { question: outcome.question, entry: outcome.entry, added: outcome.added });
  }

  /** The URL's language, or an answered 404. */
  private language(req: IncomingMessage, res: ServerResponse, params: RouteParams): Language | undefined {
    const language = params.language ?? '';
    if (isLanguage(language)) return language;
    req.resume();
    sendError(res, 404, { code: 'entry_not_found', message: 'The language in the URL is de or en.' });
    return undefined;
  }
}

function sendProblems(res: ServerResponse, failure: CurationFailure): void {
  sendError(res, STATUS[failure.code], {
    code: failure.code,
    message: MESSAGE[failure.code],
    issues: failure.problems.map((p: CurationProblem) => ({ path: p.field, message: p.message })),
  });
}
