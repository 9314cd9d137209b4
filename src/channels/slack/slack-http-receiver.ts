import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver } from '@slack/bolt';
import type { Clock } from '../../core/clock.ts';
import { RuntimeError } from '../../core/errors.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from '../../core/logger.ts';
import { readBody } from '../web/http-json.ts';
import { verifySlackSignature } from './slack-signature.ts';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  clock: Clock;
  log?: Logger | undefined;
  /** Slack payloads are small; a modal with long answers stays well below this. */
  bodyLimit?: number | undefined;
  /** Answer 404 when no listener acknowledged within this (Slack gives up after 3 s anyway). */
  ackTimeoutMs?: number | undefined;
}

type AckResponse = string | Record<string, unknown> | undefined;

/**
 * Bolt receiver for the bot's own HTTP server: `handle` is mounted at `POST /slack/events` and
 * serves the Events API, interactivity and slash commands. It verifies Slack's signature over
 * the raw bytes before parsing anything; a bad or stale request gets 401 and reaches no listener.
 * The HTTP response is written the moment a listener acks, so slow work runs after the ack.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private readonly options: SlackHttpReceiverOptions;
  private readonly log: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private keep: ((body: Record<string, unknown>) => Promise<void>) | undefined;

  constructor(options: SlackHttpReceiverOptions) {
    this.options = options;
    this.log = options.log ?? silentLogger;
  }

  init(app: App): void {
    this.app = app;
  }

  /**
   * Events API events are kept by `keep` before they are acknowledged and handled from there
   * (`processKept`), so a process that dies after the ack loses nothing: Slack never sends an
   * acknowledged event again. Without it they are handled right after the ack, as Bolt does.
   */
  keepEventsWith(keep: (body: Record<string, unknown>) => Promise<void>): void {
    this.keep = keep;
  }

  /** Handles an event `keep` kept; `resumed` when a process that took it before died. */
  async processKept(body: Record<string, unknown>, resumed: boolean): Promise<void> {
    if (!this.app) throw new RuntimeError('server_not_started', 'the Slack app is not started');
    await this.app.processEvent({
      body,
      ack: async () => {},
      customProperties: { [KEPT_EVENT]: true, [RESUMED_EVENT]: resumed },
    });
  }

  // The HTTP server belongs to the bot, not to this receiver: nothing to open.
  async start(): Promise<void> {}

  /** Lets the work after acks finish (stop, tests). */
  async stop(): Promise<void> {
    await this.idle();
  }

  /** Resolves when no request is being processed (listeners included, which run after the ack). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The raw route handler for `server.mount('POST', '/slack/events', …)`. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, this.options.bodyLimit ?? 1024 * 1024);
    if (!body.ok) {
      respond(res, body.status, body.error.code);
      return;
    }
    const rawBody = body.value;
    const contentType = String(req.headers['content-type'] ?? '');
    const form = contentType.startsWith('application/x-www-form-urlencoded');
    // Slack's certificate check carries no payload and may come unsigned; answer and do nothing.
    if (form && new URLSearchParams(rawBody.toString('utf8')).get('ssl_check') === '1') {
      respond(res, 200, '');
      return;
    }
    const check = verifySlackSignature(
      this.options.signingSecret,
      {
        rawBody,
        timestamp: header(req, 'x-slack-request-timestamp'),
        signature: header(req, 'x-slack-signature'),
      },
      this.options.clock.now(),
    );
    if (!check.ok) {
      this.log.warn('slack request rejected', { code: check.code });
      respond(res, 401, check.code);
      return;
    }
    const parsed = parsePayload(rawBody.toString('utf8'), form);
    if (!parsed) {
      respond(res, 400, 'unparseable_body');
      return;
    }
    if (parsed.type === 'url_verification') {
      respondJson(res, { challenge: parsed.challenge });
      return;
    }
    if (!this.app) {
      respond(res, 503, 'not_ready');
      return;
    }

    if (this.keep && isKeptEvent(parsed)) {
      try {
        await this.keep(parsed);
      } catch (error) {
        // Not kept: not acknowledged either, so Slack sends it again.
        this.log.error('slack event could not be kept', {
          code: errorCode(error),
          error: errorMessage(error),
        });
        respond(res, 500, '');
        return;
      }
      respond(res, 200, '');
      return;
    }

    let acked = false;
    const timer = setTimeout(() => {
      if (acked) return;
      acked = true;
      this.log.warn('slack request not acknowledged in time', { type: String(parsed.type ?? 'command') });
      respond(res, 404, '');
    }, this.options.ackTimeoutMs ?? 3_001);
    timer.unref();
    const ack = async (response?: AckResponse): Promise<void> => {
      if (acked) return;
      acked = true;
      clearTimeout(timer);
      if (response === undefined || response === '') respond(res, 200, '');
      else if (typeof response === 'string') respond(res, 200, response);
      else respondJson(res, response);
    };

    const retry = header(req, 'x-slack-retry-num');
    const processing = this.app.processEvent({
      body: parsed,
      ack,
      retryNum: retry === undefined ? undefined : Number.parseInt(retry, 10),
      retryReason: header(req, 'x-slack-retry-reason'),
    });
    this.inFlight.add(processing);
    try {
      await processing;
    } catch (error) {
      this.log.error('slack listener failed', { code: errorCode(error), error: errorMessage(error) });
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        respond(res, 500, '');
      }
    } finally {
      this.inFlight.delete(processing);
    }
  };
}

/** Context properties of an event handled from where it was kept (see keepEventsWith). */
export const KEPT_EVENT = 'keptEvent';
export const RESUMED_EVENT = 'resumedEvent';

/** An Events API delivery Bolt acknowledges without asking its listeners (all but function_executed). */
function isKeptEvent(body: Record<string, unknown>): boolean {
  const event = body.event as { type?: unknown } | undefined;
  return (
    body.type === 'event_callback' && typeof body.event_id === 'string' && event?.type !== 'function_executed'
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** JSON events, or form posts: interactivity sends `payload=<json>`, slash commands plain fields. */
function parsePayload(text: string, form: boolean): Record<string, unknown> | undefined {
  try {
    if (form) {
      const params = new URLSearchParams(text);
      const payload = params.get('payload');
      if (payload !== null) return asObject(JSON.parse(payload));
      return Object.fromEntries(params);
    }
    return asObject(JSON.parse(text));
  } catch (error) {
    // A signed but malformed body: Slack never sends one; answer 400 and move on.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function respond(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function respondJson(res: ServerResponse, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
