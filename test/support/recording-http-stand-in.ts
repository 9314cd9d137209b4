import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the platform stand-ins (Slack's Web API, Teams' Bot Connector) share: a local HTTP server
 * on a free port that records every call it gets, so a test can wait for the bot's effects,
 * which often arrive after the platform's request was acknowledged.
 */
export abstract class RecordingHttpStandIn<Call> {
  readonly calls: Call[] = [];
  private readonly server: Server;
  private address: AddressInfo | undefined;
  private readonly waiters = new Set<() => void>();

  /** `name` appears in errors ("<name> not started"). */
  constructor(private readonly name: string) {
    this.server = createServer((req, res) => {
      void this.receive(req, res);
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.address = this.server.address() as AddressInfo;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  protected get origin(): string {
    if (!this.address) throw new Error(`${this.name} not started`);
    return `http://127.0.0.1:${this.address.port}`;
  }

  /** Answers one request; `body` is the whole request body as text. */
  protected abstract handle(req: IncomingMessage, body: string, res: ServerResponse): void;

  protected record(call: Call): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves once `done` holds for the calls so far; rejects after `timeoutMs` with `failure()`. */
  protected async waitUntil(done: () => boolean, timeoutMs: number, failure: () => string): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(failure()));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  /** Every answer waits this long: a slow platform. */
  responseDelayMs = 0;

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.responseDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.responseDelayMs));
    this.handle(req, Buffer.concat(chunks).toString('utf8'), res);
  }
}
