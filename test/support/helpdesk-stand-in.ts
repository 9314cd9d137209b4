import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyWebhook } from '../../src/channels/webhook/standard-webhook-signature.ts';
import { RecordingHttpStandIn } from './recording-http-stand-in.ts';

export interface HelpdeskCall {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The signature checked with the shared secret, as a receiver does. */
  valid: boolean;
  type: string;
  ticketId: string;
  /** The status this stand-in answered. */
  status: number;
}

/** A helpdesk receiving Standard Webhooks: records every call, answers 204 (or fails the next N). */
export class HelpdeskStandIn extends RecordingHttpStandIn<HelpdeskCall> {
  /** The next this many calls get a 500. */
  failNext = 0;

  constructor(private readonly secret: string) {
    super('helpdesk stand-in');
  }

  get url(): string {
    return `${this.origin}/hooks/support`;
  }

  /** The calls answered 2xx: what the helpdesk accepted. */
  accepted(): HelpdeskCall[] {
    return this.calls.filter((c) => c.status < 300);
  }

  waitForAccepted(count: number, timeoutMs = 20_000): Promise<void> {
    return this.waitUntil(
      () => this.accepted().length >= count,
      timeoutMs,
      () =>
        `helpdesk got ${this.accepted().length} of ${count}: ${this.accepted()
          .map((c) => c.type)
          .join(', ')}`,
    );
  }

  protected handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const header = (name: string) => String(req.headers[name] ?? '');
    const parsed = JSON.parse(body) as { type: string; data: { id: string } };
    const status = this.failNext > 0 ? 500 : 204;
    if (this.failNext > 0) this.failNext -= 1;
    const headers = {
      id: header('webhook-id'),
      timestamp: header('webhook-timestamp'),
      signature: header('webhook-signature'),
    };
    this.record({
      ...headers,
      body,
      valid: verifyWebhook(this.secret, headers, body),
      type: parsed.type,
      ticketId: parsed.data.id,
      status,
    });
    res.writeHead(status).end();
  }
}
