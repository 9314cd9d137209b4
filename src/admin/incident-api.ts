import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from '../channels/web/http-json.ts';
import type { HttpServer, RouteParams } from '../channels/web/http-server.ts';
import type { Clock } from '../core/clock.ts';
import {
  announcementView,
  DeclareBodySchema,
  EndBodySchema,
  UpdateBodySchema,
} from '../incidents/announcement-input.ts';
import type { DeskOutcome, IncidentDesk } from '../incidents/incident-desk.ts';
import type { AuditLog } from '../store/ports.ts';
import { actorOf, type ConsoleAccess, principalOf } from './accounts/console-access.ts';
import { readValidBody } from './read-valid-body.ts';

const ID = /^[A-Z]{3}-[0-9A-F]{6}$/;

/**
 * Maintenance windows and incidents: `GET /api/admin/incidents` (everyone signed in: agents need
 * to know), `POST /api/admin/incidents` to declare, `GET /api/admin/incidents/{id}`,
 * `POST /api/admin/incidents/{id}/updates` and `POST /api/admin/incidents/{id}/end` (admins).
 * Every change is in the audit log.
 */
export class IncidentApi {
  constructor(
    private readonly options: {
      access: ConsoleAccess;
      desk: IncidentDesk;
      audit: AuditLog;
      clock: Clock;
    },
  ) {}

  mount(server: HttpServer): void {
    const read = this.options.access.for('signed-in');
    const admin = this.options.access.for('administer');
    server.mount(
      'GET',
      '/api/admin/incidents',
      read.guard((_req, res) => this.list(res)),
    );
    server.mount(
      'POST',
      '/api/admin/incidents',
      admin.guard((req, res) => this.declare(req, res)),
    );
    server.mount(
      'GET',
      '/api/admin/incidents/:id',
      read.guard((_req, res, params) => this.one(res, params)),
    );
    server.mount(
      'POST',
      '/api/admin/incidents/:id/updates',
      admin.guard((req, res, params) => this.update(req, res, params)),
    );
    server.mount(
      'POST',
      '/api/admin/incidents/:id/end',
      admin.guard((req, res, params) => this.end(req, res, params)),
    );
  }

  private async list(res: ServerResponse): Promise<void> {
    const now = this.options.clock.now();
    const all = await this.options.desk.list();
    sendJson(res, 200, {
      services: this.options.desk.services(),
      announcements: all.map((a) => announcementView(a, now)),
    });
  }

  private async one(res: ServerResponse, params: RouteParams): Promise<void> {
    const id = this.idOf(res, params);
    if (!id) return;
    const announcement = await this.options.desk.get(id);
    if (!announcement) {
      sendError(res, 404, { code: 'unknown_announcement', message: `no announcement "${id}"` });
      return;
    }
    sendJson(res, 200, announcementView(announcement, this.options.clock.now()));
  }

  private async declare(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readValidBody(
      req,
      res,
      DeclareBodySchema,
      'Give kind, service, status {de, en}, and times.',
    );
    if (!body) return;
    const actor = actorOf(principalOf(req), undefined);
    const outcome = await this.options.desk.declare(body, actor);
    await this.answer(res, outcome, actor, 'incident.declare', 201);
  }

  private async update(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const id = this.idOf(res, params);
    if (!id) return;
    const body = await readValidBody(req, res, UpdateBodySchema, 'Give text {de, en} and optionally endsAt.');
    if (!body) return;
    const actor = actorOf(principalOf(req), undefined);
    await this.answer(res, await this.options.desk.update(id, body, actor), actor, 'incident.update', 200);
  }

  private async end(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const id = this.idOf(res, params);
    if (!id) return;
    const body = await readValidBody(req, res, EndBodySchema, 'Give optionally text {de, en}.');
    if (!body) return;
    const actor = actorOf(principalOf(req), undefined);
    await this.answer(res, await this.options.desk.end(id, actor, body.text), actor, 'incident.end', 200);
  }

  private idOf(res: ServerResponse, params: RouteParams): string | undefined {
    const id = params.id ?? '';
    if (ID.test(id)) return id;
    sendError(res, 400, {
      code: 'invalid_id',
      message: 'An announcement id looks like INC-1A2B3C or MNT-1A2B3C.',
    });
    return undefined;
  }

  private async answer(
    res: ServerResponse,
    outcome: DeskOutcome,
    actor: string,
    action: string,
    status: number,
  ): Promise<void> {
    if (!outcome.ok) {
      sendError(res, outcome.status, { code: outcome.code, message: outcome.message });
      return;
    }
    const { announcement } = outcome;
    await this.options.audit.append({
      at: this.options.clock.now(),
      actor,
      action,
      target: announcement.id,
      detail: `${announcement.kind} ${announcement.service}`,
    });
    sendJson(res, status, announcementView(announcement, this.options.clock.now()));
  }
}
