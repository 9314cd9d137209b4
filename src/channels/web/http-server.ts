import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { RuntimeError } from '../../core/errors.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import { Metrics } from '../../ops/metrics.ts';
import { sendError, sendJson } from './http-json.ts';

export type RouteParams = Record<string, string>;

/**
 * A raw handler gets the untouched request: the body has not been read, so a platform adapter
 * can verify signatures over the exact bytes (Slack) or hand it to its SDK (Teams).
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: RouteParams) => unknown;

export type ReadinessStatus = 'ok' | 'degraded' | 'down';

export interface ReadinessResult {
  status: ReadinessStatus;
  detail?: string | undefined;
}

/** One thing `/readyz` asks, e.g. "store": Redis reachable (ok), reconnecting (degraded). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<ReadinessResult> | ReadinessResult;
}

export interface HttpServerOptions {
  host?: string | undefined;
  /** 0 picks a free port (tests). */
  port?: number | undefined;
  log?: Logger | undefined;
  metrics?: Metrics | undefined;
  /** Whole request, headers and body (node's requestTimeout). */
  requestTimeoutMs?: number | undefined;
  headersTimeoutMs?: number | undefined;
  keepAliveTimeoutMs?: number | undefined;
  /** How long stop() waits for requests in flight before cutting connections. */
  stopGraceMs?: number | undefined;
  /** A readiness check slower than this counts as down. */
  readinessTimeoutMs?: number | undefined;
}

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: RouteHandler;
}

const METHOD = /^[A-Z]+$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** What a draining process still answers: the load balancer and Prometheus ask these. */
const DRAIN_EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

/** Splits `/api/tickets/:id/claim` into segments; `*rest` as the last segment takes the remainder. */
function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchRoute(route: Route, parts: string[]): RouteParams | undefined {
  const params: RouteParams = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i] as string;
    if (seg.startsWith('*')) {
      params[seg.slice(1)] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':')) params[seg.slice(1)] = part;
    else if (seg !== part) return undefined;
  }
  return parts.length === route.segments.length ? params : undefined;
}

/**
 * The bot's one HTTP server (node:http, no framework). Channels mount their handlers on it:
 * Slack `POST /slack/events`, Teams `POST /api/messages`, the web chat and its API, the
 * console, `/healthz`, `/readyz`, `/metrics`.
 */
export class HttpServer {
  readonly metrics: Metrics;
  private readonly routes: Route[] = [];
  private readonly checks: ReadinessCheck[] = [];
  private readonly stopHooks: (() => unknown)[] = [];
  private readonly log: Logger;
  private readonly server: Server;
  private readonly options: HttpServerOptions;
  private readonly sockets = new Set<Socket>();
  private stopping = false;
  /** Set by beginDrain: new requests (but health, readiness, metrics) are turned away. */
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();
  private readonly idleWaiters = new Set<() => void>();
  private address: AddressInfo | undefined;

  constructor(options: HttpServerOptions = {}) {
    this.options = options;
    this.log = (options.log ?? silentLogger).child({ component: 'http' });
    this.metrics = options.metrics ?? new Metrics();
    this.metrics.counter('http_requests_total', 'HTTP requests by method, route and status.', [
      'method',
      'route',
      'status',
    ]);
    this.metrics.counter('http_errors_total', 'HTTP handlers that threw.', ['route']);
    this.server = createServer((req, res) => {
      void this.dispatch(req, res);
    });
    this.server.requestTimeout = options.requestTimeoutMs ?? 30_000;
    this.server.headersTimeout = options.headersTimeoutMs ?? 10_000;
    this.server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      this.log.debug('client error', { code: error.code });
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });

    this.mount('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
    this.mount('GET', '/readyz', async (_req, res) => {
      const report = await this.readiness();
      sendJson(res, report.status === 'down' || report.status === 'stopping' ? 503 : 200, report);
    });
    this.mount('GET', '/metrics', async (_req, res) => {
      const text = await this.metrics.render();
      res.writeHead(200, {
        'Content-Type': this.metrics.contentType,
        'Cache-Control': 'no-store',
      });
      res.end(text);
    });
  }

  /**
   * Adds a route. `path` is literal, with `:name` segments and an optional final `*name`
   * (rest of the path). A later mount of the same method and path replaces the earlier one.
   */
  mount(method: string, path: string, handler: RouteHandler): void {
    const upper = method.toUpperCase();
    if (!METHOD.test(upper)) throw new RuntimeError('invalid_route', `invalid HTTP method: ${method}`);
    if (!path.startsWith('/')) throw new RuntimeError('invalid_route', `path must start with /: ${path}`);
    const existing = this.routes.findIndex((r) => r.method === upper && r.pattern === path);
    const route: Route = { method: upper, pattern: path, segments: splitPath(path), handler };
    if (existing >= 0) this.routes[existing] = route;
    else this.routes.push(route);
  }

  addReadinessCheck(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  /**
   * The first step of a graceful stop: `/readyz` answers 503 at once (the load balancer moves
   * traffic away), and every new request but `/healthz`, `/readyz` and `/metrics` gets 503 with
   * Retry-After, so no new turn starts here; requests already in flight go on.
   */
  beginDrain(): void {
    this.draining = true;
  }

  /** Resolves when no request is in flight (or after `timeoutMs`); false on timeout. */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight.size === 0) return true;
    return new Promise((resolve) => {
      const done = (): void => {
        if (this.inFlight.size > 0) return;
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(done);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.add(done);
    });
  }

  /** Runs at the start of stop(), e.g. to release long-polls so requests in flight can finish. */
  onStop(hook: () => unknown): void {
    this.stopHooks.push(hook);
  }

  /** Base URL once listening, e.g. http://127.0.0.1:3000. */
  get url(): string {
    if (!this.address) throw new RuntimeError('server_not_started', 'HTTP server is not listening');
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `http://${host}:${this.address.port}`;
  }

  get port(): number {
    if (!this.address) throw new RuntimeError('server_not_started', 'HTTP server is not listening');
    return this.address.port;
  }

  start(): Promise<{ url: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) =>
        reject(new RuntimeError('listen_failed', error.message, { cause: error }));
      this.server.once('error', onError);
      this.server.listen(this.options.port ?? 3000, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', onError);
        this.address = this.server.address() as AddressInfo;
        this.log.info('listening', { url: this.url });
        resolve({ url: this.url, port: this.address.port });
      });
    });
  }

  /**
   * Graceful stop: refuse new connections, report not-ready, let requests in flight finish
   * (up to stopGraceMs), then cut what is left.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const hook of this.stopHooks) {
      try {
        await hook();
      } catch (error) {
        this.log.warn('stop hook failed', { error });
      }
    }
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.stopGraceMs ?? 5_000);
      timer.unref();
    });
    const outcome = await Promise.race([closed.then(() => 'closed' as const), grace]);
    if (timer) clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log.warn('stop grace period over, closing open connections', { open: this.sockets.size });
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
      await closed;
    }
    this.log.info('stopped');
  }

  /** Runs every readiness check (bounded by a timeout); the worst status wins. */
  async readiness(): Promise<{
    status: ReadinessStatus | 'stopping';
    checks: Record<string, ReadinessResult>;
  }> {
    if (this.stopping || this.draining) return { status: 'stopping', checks: {} };
    const timeoutMs = this.options.readinessTimeoutMs ?? 2_000;
    const results = await Promise.all(
      this.checks.map(async (c): Promise<[string, ReadinessResult]> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<ReadinessResult>((resolve) => {
          timer = setTimeout(
            () => resolve({ status: 'down', detail: `no answer within ${timeoutMs} ms` }),
            timeoutMs,
          );
        });
        try {
          return [c.name, await Promise.race([Promise.resolve(c.check()), timeout])];
        } catch (error) {
          return [c.name, { status: 'down', detail: error instanceof Error ? error.message : String(error) }];
        } finally {
          if (timer) clearTimeout(timer);
        }
      }),
    );
    const rank: Record<ReadinessStatus, number> = { ok: 0, degraded: 1, down: 2 };
    let status: ReadinessStatus = 'ok';
    for (const [, r] of results) if (rank[r.status] > rank[status]) status = r.status;
    return { status, checks: Object.fromEntries(results) };
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    // A load balancer's request id is kept (when it is a plain token), so its logs and ours meet.
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    let routeName = 'unmatched';
    res.on('finish', () => {
      const method = req.method ?? 'GET';
      this.metrics.inc('http_requests_total', { method, route: routeName, status: String(res.statusCode) });
      this.log.debug('request', {
        requestId,
        method,
        route: routeName,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      });
    });
    if (this.stopping || this.draining) res.setHeader('Connection', 'close');

    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      sendError(res, 400, { code: 'bad_url', message: 'The request URL cannot be parsed.' });
      return;
    }
    const parts = splitPath(pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    const allowed = new Set<string>();
    let found: { route: Route; params: RouteParams } | undefined;
    for (const route of this.routes) {
      const params = matchRoute(route, parts);
      if (!params) continue;
      allowed.add(route.method);
      if (route.method === 'GET') allowed.add('HEAD');
      if (!found && (route.method === method || (method === 'HEAD' && route.method === 'GET'))) {
        found = { route, params };
      }
    }
    if (!found) {
      if (allowed.size > 0) {
        sendError(
          res,
          405,
          { code: 'method_not_allowed', message: `${method} is not allowed on ${pathname}.` },
          { Allow: [...allowed].sort().join(', ') },
        );
      } else {
        sendError(res, 404, { code: 'not_found', message: `Nothing at ${pathname}.` });
      }
      req.resume();
      return;
    }
    routeName = found.route.pattern;
    if (this.draining && !DRAIN_EXEMPT.has(found.route.pattern)) {
      req.resume();
      sendError(
        res,
        503,
        { code: 'draining', message: 'This process is stopping; send the request again.' },
        { 'Retry-After': '1' },
      );
      return;
    }
    this.inFlight.add(res);
    res.once('close', () => {
      this.inFlight.delete(res);
      if (this.inFlight.size === 0) for (const wake of [...this.idleWaiters]) wake();
    });
    const params: RouteParams = {};
    for (const [key, value] of Object.entries(found.params)) {
      try {
        params[key] = decodeURIComponent(value);
      } catch {
        sendError(res, 400, { code: 'bad_url', message: `Path segment ${key} is not valid URL encoding.` });
        req.resume();
        return;
      }
    }
    try {
      await found.route.handler(req, res, params);
    } catch (error) {
      this.metrics.inc('http_errors_total', { route: routeName });
      this.log.error('handler failed', { requestId, route: routeName, error });
      if (!res.headersSent) {
        sendError(res, 500, {
          code: 'internal_error',
          message: `Something went wrong (request ${requestId}).`,
        });
      } else if (!res.writableEnded) {
        res.destroy();
      }
    }
  }
}
