import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Language } from '../../core/language.ts';
import type { UnansweredStore } from '../../core/ports.ts';
import { sendError, sendJson } from '../../http/http-json.ts';
import type { HttpServer } from '../../http/http-server.ts';
import { readValidBody } from '../../http/read-valid-body.ts';
import type { CurationFailure } from '../../knowledge/curation-outcome.ts';
import type { InboxCuration, InboxOutcome } from '../../knowledge/inbox-curation.ts';
import type { SparseVector } from '../../understanding/feature-space.ts';
import { actorOf, principalOf, type RouteGuard } from '../accounts/console-access.ts';
import { groupInbox } from './group-inbox.ts';

const Ids = z.array(z.string().min(1).max(40)).min(1).max(10_000);
const Reason = z.string().trim().max(500).optional();

const Bodies = {
  'add-to-entry': z
    .object({ questionIds: Ids, entryId: z.string().min(1).max(100), reason: Reason })
    .strict(),
  create: z.object({ questionIds: Ids, entry: z.record(z.string(), z.unknown()), reason: Reason }).strict(),
  ignore: z.object({ questionIds: Ids, reason: Reason }).strict(),
} as const;

const STATUS: Record<CurationFailure['code'], number> = {
  invalid_entry: 400,
  invalid_suggestion: 400,
  entry_not_found: 404,
  question_not_found: 409,
  ticket_not_found: 404,
  entry_referenced: 409,
};

export interface InboxApiOptions {
  unanswered: Pick<UnansweredStore, 'list'>;
  inbox: InboxCuration;
  /** The Understanding's similarityVectors and FAQ titles. */
  vectorize: (texts: { text: string; language: Language }[]) => SparseVector[];
  title: (id: string, language: Language) => string | undefined;
  auth: RouteGuard;
}

/**
 * The unanswered inbox grouped by meaning (`GET /api/admin/inbox`) and what a curator does with a
 * group: `POST /api/admin/inbox/add-to-entry|create|ignore` with the group's question ids.
 */
export class InboxApi {
  constructor(private readonly options: InboxApiOptions) {}

  mount(server: HttpServer): void {
    const { auth } = this.options;
    server.mount(
      'GET',
      '/api/admin/inbox',
      auth.guard((_req, res) => this.list(res)),
    );
    for (const action of Object.keys(Bodies) as (keyof typeof Bodies)[]) {
      server.mount(
        'POST',
        `/api/admin/inbox/${action}`,
        auth.guard((req, res) => this.act(action, req, res)),
      );
    }
  }

  private async list(res: ServerResponse): Promise<void> {
    const { unanswered, vectorize, title } = this.options;
    const groups = groupInbox(await unanswered.list('open'), vectorize);
    sendJson(res, 200, {
      groups: groups.map((g) => ({
        ...g,
        hesitated: g.hesitated.map((h) => ({
          ...h,
          title: { de: title(h.id, 'de') ?? h.id, en: title(h.id, 'en') ?? h.id },
        })),
      })),
    });
  }

  private async act(action: keyof typeof Bodies, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const valid = await readValidBody(
      req,
      res,
      Bodies[action] as z.ZodType<unknown>,
      `The body for ${action} is not valid.`,
      1024 * 1024,
    );
    if (valid === undefined) return;
    const data = valid as {
      questionIds: string[];
      entryId?: string;
      entry?: Record<string, unknown>;
      reason?: string;
    };
    const change = { actor: actorOf(principalOf(req), undefined), reason: data.reason };
    const { inbox } = this.options;
    let outcome: InboxOutcome;
    if (action === 'add-to-entry')
      outcome = await inbox.addWordings(data.questionIds, data.entryId ?? '', change);
    else if (action === 'create')
      outcome = await inbox.createEntry(data.questionIds, data.entry ?? {}, change);
    else outcome = await inbox.ignore(data.questionIds, change);
    if (!outcome.ok) {
      sendError(res, STATUS[outcome.code], {
        code: outcome.code,
        message: 'Nothing was changed; see the problems.',
        issues: outcome.problems.map((p) => ({ path: p.field, message: p.message })),
      });
      return;
    }
    sendJson(res, 200, outcome);
  }
}
