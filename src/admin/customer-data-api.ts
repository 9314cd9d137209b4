import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttachmentRemover } from '../core/attachment.ts';
import type { Clock } from '../core/clock.ts';
import { SupportBotError } from '../core/errors.ts';
import type { Stores } from '../core/ports.ts';
import type { TicketListener } from '../core/ticket-events.ts';
import { sendError, sendJson } from '../http/http-json.ts';
import type { HttpServer, RouteParams } from '../http/http-server.ts';
import { actorOf, type ConsoleAccess, principalOf } from './accounts/console-access.ts';
import { collectCustomerData } from './customer-data.ts';
import { eraseCustomerData } from './customer-erasure.ts';

const CUSTOMER_ID = /^[\x21-\x7e]{1,300}$/;

export interface CustomerDataApiOptions {
  access: ConsoleAccess;
  stores: Stores;
  clock: Clock;
  /** The outbox's ticket events: erased tickets' cards are redrawn through them. */
  ticketEvents?: TicketListener | undefined;
  /** Where customers' files are kept: an erasure removes theirs. */
  attachments?: AttachmentRemover | undefined;
}

/**
 * A data subject's requests (DSGVO Art. 15 and 17), admins only, each in the audit log:
 * `GET /api/admin/customers/{id}/export`: everything held about one customer, as JSON;
 * `DELETE /api/admin/customers/{id}`: erases it everywhere (see customer-erasure.ts).
 */
export class CustomerDataApi {
  constructor(private readonly options: CustomerDataApiOptions) {}

  mount(server: HttpServer): void {
    const admins = this.options.access.for('administer');
    server.mount(
      'GET',
      '/api/admin/customers/:id/export',
      admins.guard((req, res, params) => this.export(req, res, params)),
    );
    server.mount(
      'DELETE',
      '/api/admin/customers/:id',
      admins.guard((req, res, params) => this.erase(req, res, params)),
    );
  }

  private async export(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const customerId = validCustomerId(res, params);
    if (customerId === undefined) return;
    const { stores, clock } = this.options;
    const data = await collectCustomerData(stores, customerId, clock.now());
    await stores.audit.append({
      at: clock.now(),
      actor: actorOf(principalOf(req), undefined),
      action: 'customer.export',
      target: customerId,
      detail: `${data.conversations.length} conversation(s), ${data.tickets.length} ticket(s)`,
    });
    sendJson(res, 200, data, {
      'Content-Disposition': `attachment; filename="customer-${customerId.replace(/[^A-Za-z0-9_-]/g, '_')}.json"`,
    });
  }

  private async erase(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const customerId = validCustomerId(res, params);
    if (customerId === undefined) return;
    const { stores, clock, ticketEvents, attachments } = this.options;
    try {
      const erasure = await eraseCustomerData(
        { stores, ticketEvents, attachments, now: clock.now(), actor: actorOf(principalOf(req), undefined) },
        customerId,
      );
      if (!erasure.found) {
        sendError(res, 404, {
          code: 'customer_not_found',
          message: `Nothing is held about ${customerId}: no ticket, conversation or log entry with that id.`,
        });
        return;
      }
      sendJson(res, 200, erasure);
    } catch (error) {
      if (!(error instanceof SupportBotError && error.code === 'store_unavailable')) throw error;
      sendError(res, 503, { code: error.code, message: error.message });
    }
  }
}

function validCustomerId(res: ServerResponse, params: RouteParams): string | undefined {
  const customerId = params.id ?? '';
  if (CUSTOMER_ID.test(customerId)) return customerId;
  sendError(res, 400, { code: 'invalid_customer_id', message: 'Give a customer or conversation id.' });
  return undefined;
}
