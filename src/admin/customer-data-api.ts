import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/clock.ts';
import type { Stores } from '../core/ports.ts';
import { sendError, sendJson } from '../http/http-json.ts';
import type { HttpServer, RouteParams } from '../http/http-server.ts';
import { actorOf, type ConsoleAccess, principalOf } from './accounts/console-access.ts';
import { collectCustomerData } from './customer-data.ts';

const CUSTOMER_ID = /^[\x21-\x7e]{1,300}$/;

/**
 * `GET /api/admin/customers/{id}/export`: everything held about one customer, as JSON (a data
 * subject's request for access). Admins only; every export is in the audit log.
 */
export class CustomerDataApi {
  constructor(private readonly options: { access: ConsoleAccess; stores: Stores; clock: Clock }) {}

  mount(server: HttpServer): void {
    server.mount(
      'GET',
      '/api/admin/customers/:id/export',
      this.options.access.for('administer').guard((req, res, params) => this.export(req, res, params)),
    );
  }

  private async export(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const customerId = params.id ?? '';
    if (!CUSTOMER_ID.test(customerId)) {
      sendError(res, 400, { code: 'invalid_customer_id', message: 'Give a customer or conversation id.' });
      return;
    }
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
}
