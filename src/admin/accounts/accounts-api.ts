import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { permissionsOf, ROLES } from '../../core/account.ts';
import type { AuditLog } from '../../core/ports.ts';
import { BASE_HEADERS, sendError, sendJson } from '../../http/http-json.ts';
import type { HttpServer, RouteParams } from '../../http/http-server.ts';
import { readValidBody } from '../../http/read-valid-body.ts';
import type { AccountDirectory } from './account-directory.ts';
import { actorOf, type ConsoleAccess, principalOf } from './console-access.ts';

const AddBodySchema = z
  .object({
    name: z.string().trim().min(2).max(100),
    role: z.enum(ROLES),
    slackUserId: z.string().trim().min(1).max(40).optional(),
    teamsUserId: z.string().trim().min(1).max(40).optional(),
  })
  .strict();

/**
 * Who is signed in (`GET /api/admin/me`), accounts (`GET|POST /api/admin/accounts`,
 * `DELETE /api/admin/accounts/{id}`) and the audit log (`GET /api/admin/audit`, JSON or CSV).
 */
export class AccountsApi {
  constructor(
    private readonly options: { access: ConsoleAccess; directory: AccountDirectory; audit: AuditLog },
  ) {}

  mount(server: HttpServer): void {
    const { access } = this.options;
    const admin = access.for('administer');
    server.mount(
      'GET',
      '/api/admin/me',
      access.for('signed-in').guard((req, res) => this.me(req, res)),
    );
    server.mount(
      'GET',
      '/api/admin/accounts',
      admin.guard((_req, res) => this.list(res)),
    );
    server.mount(
      'POST',
      '/api/admin/accounts',
      admin.guard((req, res) => this.add(req, res)),
    );
    server.mount(
      'DELETE',
      '/api/admin/accounts/:id',
      admin.guard((req, res, params) => this.remove(req, res, params)),
    );
    server.mount(
      'GET',
      '/api/admin/audit',
      admin.guard((req, res) => this.audit(req, res)),
    );
  }

  private me(req: IncomingMessage, res: ServerResponse): void {
    const principal = principalOf(req);
    sendJson(res, 200, {
      kind: principal.kind,
      name: principal.kind === 'account' ? principal.account.name : undefined,
      role: principal.role,
      permissions: permissionsOf(principal.role),
    });
  }

  private async list(res: ServerResponse): Promise<void> {
    sendJson(res, 200, { accounts: await this.options.directory.list() });
  }

  private async add(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const data = await readValidBody(
      req,
      res,
      AddBodySchema,
      'An account needs a name and a role (agent, curator, admin).',
    );
    if (!data) return;
    const outcome = await this.options.directory.add(data, actorOf(principalOf(req), undefined));
    if (!outcome.ok) {
      sendError(res, 409, {
        code: 'invalid_account',
        message: outcome.message,
        issues: [{ path: outcome.field, message: outcome.message }],
      });
      return;
    }
    // The token is in this answer only; the store keeps its hash.
    sendJson(res, 201, { account: outcome.account, token: outcome.token });
  }

  private async remove(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    req.resume();
    const removed = await this.options.directory.remove(
      params.id ?? '',
      actorOf(principalOf(req), undefined),
    );
    if (!removed) {
      sendError(res, 404, { code: 'account_not_found', message: `No account ${params.id}.` });
      return;
    }
    sendJson(res, 200, { removed: params.id });
  }

  private async audit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const format = url.searchParams.get('format') ?? 'json';
    const limitText = url.searchParams.get('limit') ?? '500';
    if ((format !== 'json' && format !== 'csv') || !/^\d{1,5}$/.test(limitText)) {
      sendError(res, 400, { code: 'invalid_query', message: 'format is json or csv; limit a number.' });
      return;
    }
    const events = await this.options.audit.list(Number(limitText));
    if (format === 'json') {
      sendJson(res, 200, { events });
      return;
    }
    const json = (value: unknown) => (value === undefined ? '' : JSON.stringify(value));
    const text = stringify(
      events.map((e) => [
        new Date(e.at).toISOString(),
        e.actor,
        e.action,
        e.target ?? '',
        e.detail ?? '',
        json(e.before),
        json(e.after),
      ]),
      { header: true, columns: ['at', 'actor', 'action', 'target', 'detail', 'before', 'after'] },
    );
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="audit.csv"',
      'Cache-Control': 'no-store',
    });
    res.end(text);
  }
}
