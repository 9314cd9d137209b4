import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { zodIssues } from '../channels/web/web-chat-api.ts';
import type { AttachmentUrls } from '../core/attachment.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { type ClosedReason, TICKET_STATUSES, type Ticket } from '../core/ticket.ts';
import type { AgentDesk } from '../handoff/agent-desk.ts';
import type { DeskResult } from '../handoff/desk-result.ts';
import { type SlaState, slaState } from '../handoff/sla-state.ts';
import type { SupportConfig } from '../handoff/support-config.ts';
import { MAX_MINUTES_PER_ENTRY } from '../handoff/time-recording.ts';
import { readJson, sendError, sendJson } from '../http/http-json.ts';
import type { HttpServer, RouteParams } from '../http/http-server.ts';
import { principalOf, type RouteGuard } from './accounts/console-access.ts';
import { type Localized, SupportLabels } from './support-labels.ts';
import { type CustomerLabel, customerLabel, type FaqTitles, ticketView } from './ticket-view.ts';

export type TicketDesk = Pick<
  AgentDesk,
  | 'list'
  | 'get'
  | 'claim'
  | 'reply'
  | 'resolve'
  | 'reopen'
  | 'giveBack'
  | 'escalate'
  | 'recordTime'
  | 'waitForCustomer'
>;

/** Where a ticket stands against its SLA clock, for the console's colouring and sorting. */

export interface TicketListItem {
  id: string;
  queue: string;
  queueName: Localized;
  level: 2 | 3;
  priority: string;
  status: string;
  /** Why a resolved ticket was closed: solved, or returned to the bot. */
  closedReason?: ClosedReason | undefined;
  assignee?: string | undefined;
  summary: string;
  customer: CustomerLabel;
  channel: string;
  language: string;
  billable: boolean;
  createdAt: number;
  updatedAt: number;
  reactionDueAt: number;
  resolutionDueAt: number;
  firstReactionAt?: number | undefined;
  ageMinutes: number;
  sla: SlaState;
}

/** Only with the shared ADMIN_TOKEN: a personal token acts as its account's name. */
const agent = z.string().trim().min(1, 'agent must not be empty').max(100).optional();

const ActionBodies = {
  claim: z.object({ agent }).strict(),
  reply: z.object({ agent, text: z.string().trim().min(1, 'text must not be empty').max(4000) }).strict(),
  resolve: z
    .object({
      agent,
      note: z.string().trim().max(4000).optional(),
      text: z.string().trim().max(4000).optional(),
    })
    .strict(),
  'give-back': z.object({ agent }).strict(),
  /** A resolved ticket goes back to its queue. */
  reopen: z.object({ agent, reason: z.string().trim().max(4000).optional() }).strict(),
  /** The ticket waits for the customer's answer: its SLA clocks stand still until they write. */
  'wait-for-customer': z.object({ agent }).strict(),
  escalate: z
    .object({
      agent,
      queue: z.string().trim().min(1).max(100).optional(),
      level: z.literal(3).optional(),
      reason: z.string().trim().max(4000).optional(),
    })
    .strict()
    .refine((b) => b.queue !== undefined || b.level !== undefined, {
      message: 'escalate needs a "queue" to move to or "level": 3',
    }),
  /** Time worked, in whole minutes; billed per started quarter hour when the ticket is billable. */
  time: z
    .object({
      agent,
      minutes: z.number().int().min(1).max(MAX_MINUTES_PER_ENTRY),
      note: z.string().trim().max(500).optional(),
    })
    .strict(),
} as const;

type TicketAction = keyof typeof ActionBodies;

const STATUS_FOR_CODE: Record<Exclude<DeskResult, { ok: true }>['code'], number> = {
  not_found: 404,
  not_allowed: 403,
  invalid: 422,
  conflict: 409,
};

export function toListItem(ticket: Ticket, now: number, labels: SupportLabels): TicketListItem {
  return {
    id: ticket.id,
    queue: ticket.queue,
    queueName: labels.queueName(ticket.queue),
    level: ticket.level,
    priority: ticket.priority,
    status: ticket.status,
    closedReason: ticket.closedReason,
    assignee: ticket.assignee,
    summary: ticket.details.summary ?? ticket.transcript.find((l) => l.from === 'customer')?.text ?? '',
    customer: customerLabel(ticket.customer, ticket.conversation.channel),
    channel: ticket.conversation.channel,
    language: ticket.language,
    billable: ticket.billable,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    reactionDueAt: ticket.reactionDueAt,
    resolutionDueAt: ticket.resolutionDueAt,
    firstReactionAt: ticket.firstReactionAt,
    ageMinutes: Math.max(0, Math.floor((now - ticket.createdAt) / 60_000)),
    sla: slaState(ticket, now),
  };
}

export interface TicketApiOptions {
  desk: TicketDesk;
  /** Agents and admins; a personal token acts as its account. */
  auth: RouteGuard;
  /** config/support.yaml: queue names, intake field labels and choices for the console. */
  support?: SupportConfig | undefined;
  /** The FAQ, to title the bot's candidates in both languages. */
  faq?: FaqTitles | undefined;
  /** Signed links to the customers' files, shown with each ticket. */
  fileUrls?: AttachmentUrls | undefined;
  clock?: Clock | undefined;
  log?: Logger | undefined;
}

/**
 * The agent API: `GET /api/tickets`, `GET /api/tickets/{id}`, `GET /api/admin/queues`, and
 * `POST /api/tickets/{id}/claim|reply|resolve|reopen|give-back|escalate`. Everything goes through the
 * AgentDesk, which owns the rules; this only checks the token and the request shape, and adds the
 * words people read (queue names, field labels, FAQ titles) in both languages as `view`.
 */
export class TicketApi {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly labels: SupportLabels;

  constructor(private readonly options: TicketApiOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = (options.log ?? silentLogger).child({ component: 'ticket-api' });
    this.labels = new SupportLabels(options.support);
  }

  mount(server: HttpServer): void {
    const { auth } = this.options;
    server.mount(
      'GET',
      '/api/tickets',
      auth.guard((req, res) => this.list(req, res)),
    );
    server.mount(
      'GET',
      '/api/tickets/:id',
      auth.guard((_req, res, params) => this.get(res, params)),
    );
    server.mount(
      'GET',
      '/api/admin/queues',
      auth.guard((_req, res) => sendJson(res, 200, { queues: this.labels.queues() })),
    );
    for (const action of Object.keys(ActionBodies) as TicketAction[]) {
      server.mount(
        'POST',
        `/api/tickets/:id/${action}`,
        auth.guard((req, res, params) => this.act(action, req, res, params)),
      );
    }
  }

  private async list(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const statusParam = url.searchParams.get('status');
    const statuses = statusParam ? statusParam.split(',').map((s) => s.trim()) : undefined;
    const unknown = statuses?.filter((s) => !(TICKET_STATUSES as readonly string[]).includes(s)) ?? [];
    if (unknown.length > 0) {
      sendError(res, 400, {
        code: 'invalid_query',
        message: `Unknown status ${unknown.join(', ')}; use ${TICKET_STATUSES.join(', ')}.`,
      });
      return;
    }
    const queue = url.searchParams.get('queue') ?? undefined;
    const tickets = await this.options.desk.list({
      status: statuses as Ticket['status'][] | undefined,
      queue,
    });
    const now = this.clock.now();
    sendJson(res, 200, { tickets: tickets.map((t) => toListItem(t, now, this.labels)), now });
  }

  private async get(res: ServerResponse, params: RouteParams): Promise<void> {
    const ticket = await this.options.desk.get(params.id ?? '');
    if (!ticket) {
      sendError(res, 404, { code: 'ticket_not_found', message: `No ticket ${params.id}.` });
      return;
    }
    const now = this.clock.now();
    sendJson(res, 200, { ticket, sla: slaState(ticket, now), now, view: this.view(ticket) });
  }

  private async act(
    action: TicketAction,
    req: IncomingMessage,
    res: ServerResponse,
    params: RouteParams,
  ): Promise<void> {
    const body = await readJson(req);
    if (!body.ok) {
      sendError(res, body.status, body.error, body.status === 413 ? { Connection: 'close' } : {});
      return;
    }
    const parsed = ActionBodies[action].safeParse(body.value);
    if (!parsed.success) {
      sendError(res, 400, {
        code: 'invalid_body',
        message: `The body for ${action} is not valid.`,
        issues: zodIssues(parsed.error),
      });
      return;
    }
    const id = params.id ?? '';
    const { desk } = this.options;
    const data = parsed.data as {
      agent?: string;
      text?: string;
      note?: string;
      queue?: string;
      level?: 3;
      reason?: string;
      minutes?: number;
    };
    const principal = principalOf(req);
    const signedIn = principal.kind === 'account' ? principal.account.name : undefined;
    if (signedIn && data.agent !== undefined && data.agent !== signedIn) {
      sendError(res, 400, {
        code: 'invalid_body',
        message: `You are signed in as ${signedIn}; you act under that name.`,
        issues: [{ path: 'agent', message: `you act as ${signedIn}` }],
      });
      return;
    }
    // A helpdesk acts under its agents' names, marked as coming from the helpdesk.
    const agentName =
      principal.kind === 'integration' ? `helpdesk:${data.agent ?? 'integration'}` : (signedIn ?? data.agent);
    if (!agentName) {
      sendError(res, 400, {
        code: 'invalid_body',
        message: 'With the admin token, say who acts: "agent".',
        issues: [{ path: 'agent', message: 'agent is required with the admin token' }],
      });
      return;
    }
    let result: DeskResult;
    let quarterHours: number | undefined;
    switch (action) {
      case 'claim':
        result = await desk.claim(id, agentName);
        break;
      case 'reply':
        result = await desk.reply(id, agentName, data.text ?? '');
        break;
      case 'resolve':
        result = await desk.resolve(id, agentName, data.note ?? data.text);
        break;
      case 'give-back':
        result = await desk.giveBack(id, agentName);
        break;
      case 'reopen':
        result = await desk.reopen(id, agentName, data.reason);
        break;
      case 'wait-for-customer':
        result = await desk.waitForCustomer(id, agentName);
        break;
      case 'escalate':
        result = await desk.escalate(id, agentName, {
          queue: data.queue,
          level: data.level,
          reason: data.reason,
        });
        break;
      case 'time': {
        const recorded = await desk.recordTime(id, agentName, data.minutes ?? 0, data.note);
        result = recorded.ok ? { ok: true, ticket: recorded.ticket } : recorded;
        if (recorded.ok) quarterHours = recorded.quarterHours;
        break;
      }
    }
    if (!result.ok) {
      sendError(res, STATUS_FOR_CODE[result.code], { code: result.code, message: result.message });
      return;
    }
    this.log.info('ticket action', { ticketId: id, action, agent: agentName, status: result.ticket.status });
    sendJson(res, 200, {
      ticket: result.ticket,
      sla: slaState(result.ticket, this.clock.now()),
      view: this.view(result.ticket),
      ...(quarterHours === undefined ? {} : { billedQuarterHours: quarterHours }),
    });
  }

  private view(ticket: Ticket) {
    return ticketView(ticket, this.labels, this.options.faq, this.options.fileUrls);
  }
}
