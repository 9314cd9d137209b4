import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { ReplySink } from '../../core/delivery.ts';
import { DeliveryError } from '../../core/errors.ts';
import { LANGUAGES, type Language } from '../../core/language.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import type { Reply } from '../../core/reply.ts';
import type { ConversationRef, Customer, Turn } from '../../core/turn.ts';
import type { TurnHandler } from '../../core/turn-handler.ts';
import type { WebAccess, WebAccessStore, WebEventStore, WebIdentity } from '../../core/web-ports.ts';
import { type ApiError, readJson, sendError, sendJson } from '../../http/http-json.ts';
import type { HttpServer, RouteParams } from '../../http/http-server.ts';
import type { Metrics } from '../../ops/metrics.ts';
import { ActionSchema } from '../action-schema.ts';
import { sendTooMany, type WebChatLimits } from './web-chat-limits.ts';
import { type AccessResult, WebConversationAccess } from './web-conversation-access.ts';
import { IdentityClaimSchema, verifyIdentity } from './web-identity.ts';

export interface WebChatApiOptions {
  engine: TurnHandler;
  events: WebEventStore;
  /** Issued conversations and their token hashes. */
  access: WebAccessStore;
  clock?: Clock | undefined;
  log?: Logger | undefined;
  /** Longest long-poll the events route holds a request for. */
  maxWaitMs?: number | undefined;
  /** Counts turns (`turns_total{channel="web"}`). */
  metrics?: Metrics | undefined;
  /** Abuse limits; none when absent. */
  limits?: WebChatLimits | undefined;
  /** WEB_IDENTITY_SECRET: verifies the identity an embedding page passes; claims are ignored without it. */
  identitySecret?: string | undefined;
}

export const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,100}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const MessageBodySchema = z
  .object({
    text: z.string().trim().min(1, 'text must not be empty').max(4000).optional(),
    action: ActionSchema.optional(),
    locale: z.enum(LANGUAGES).optional(),
  })
  .strict()
  .refine((b) => (b.text === undefined) !== (b.action === undefined), {
    message: 'send either "text" or "action", not both and not neither',
  });

/** `POST /api/conversations`: an empty body, `{}`, or the embedding page's `identity` claim. */
const OpenBodySchema = z.object({ identity: z.unknown().optional() }).strict();

/**
 * Who writes: a verified visitor as the site knows them (one customer across their conversations,
 * so their tickets are theirs in each), else the conversation itself.
 */
function customerOf(conversationId: string, identity: WebIdentity | undefined): Customer {
  if (!identity) return { id: conversationId };
  return {
    id: `web-user:${identity.userId}`,
    name: identity.name,
    email: identity.email,
    organisation: identity.organisation,
  };
}

/** Internal conversation id of a web chat, e.g. `web:3f2a`. */
export function webConversationId(id: string): string {
  return `web:${id}`;
}

export function localeFrom(req: IncomingMessage): Language | undefined {
  const header = req.headers['accept-language'];
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'de' || tag === 'en') return tag;
  }
  return undefined;
}

export function zodIssues(error: z.ZodError): ApiError['issues'] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

function badConversationId(res: ServerResponse): void {
  sendError(res, 400, {
    code: 'invalid_conversation_id',
    message: 'Conversation ids are 1-100 characters of A-Z, a-z, 0-9, "_" and "-".',
  });
}

/**
 * The customer side of the web chat: `POST /api/conversations/{id}/messages` runs one turn,
 * `GET /api/conversations/{id}/events?after=N` returns what was pushed later (agent relays).
 * It is also the web channel's ReplySink: pushed replies land in the event log.
 */
export class WebChatApi implements ReplySink {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly maxWaitMs: number;
  private readonly access: WebConversationAccess;

  constructor(private readonly options: WebChatApiOptions) {
    this.clock = options.clock ?? systemClock;
    this.access = new WebConversationAccess(options.access, () => this.clock.now(), webConversationId);
    this.log = (options.log ?? silentLogger).child({ component: 'web-chat' });
    this.maxWaitMs = options.maxWaitMs ?? 25_000;
    options.metrics?.counter('turns_total', 'Customer turns handled, by channel.', ['channel']);
    options.metrics?.counter('pushed_replies_total', 'Replies pushed to conversations later, by channel.', [
      'channel',
    ]);
    options.metrics?.counter('web_conversations_issued_total', 'Web conversations issued to clients.');
    options.metrics?.counter('web_access_denied_total', 'Web chat requests refused for want of the token.');
    options.metrics?.counter(
      'web_rate_limited_total',
      'Web chat requests refused by a rate limit, by limit.',
      ['limit'],
    );
  }

  mount(server: HttpServer): void {
    server.mount('POST', '/api/conversations', (req, res) => this.openConversation(req, res));
    server.mount('POST', '/api/conversations/:id/messages', (req, res, params) =>
      this.postMessage(req, res, params),
    );
    server.mount('GET', '/api/conversations/:id/events', (req, res, params) =>
      this.getEvents(req, res, params),
    );
  }

  async deliver(ref: ConversationRef, replies: Reply[]): Promise<void> {
    if (ref.channel !== 'web') {
      throw new DeliveryError('wrong_channel', `web sink cannot deliver to ${ref.channel}`);
    }
    await this.options.events.append(ref.conversationId, replies);
    this.options.metrics?.inc('pushed_replies_total', { channel: 'web' }, replies.length);
  }

  private async postMessage(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const id = params.id ?? '';
    if (!CONVERSATION_ID.test(id)) {
      req.resume();
      badConversationId(res);
      return;
    }
    const access = await this.authorize(req, res, id);
    if (!access) return;
    const keyHeader = req.headers['idempotency-key'];
    if (keyHeader !== undefined && (typeof keyHeader !== 'string' || !IDEMPOTENCY_KEY.test(keyHeader))) {
      req.resume();
      sendError(res, 400, {
        code: 'invalid_idempotency_key',
        message: 'Idempotency-Key must be 1-200 visible ASCII characters.',
      });
      return;
    }
    const body = await readJson(req);
    if (!body.ok) {
      sendError(res, body.status, body.error, body.status === 413 ? { Connection: 'close' } : {});
      return;
    }
    const parsed = MessageBodySchema.safeParse(body.value);
    if (!parsed.success) {
      sendError(res, 400, {
        code: 'invalid_body',
        message: 'The message body does not match {"text": "..."} or {"action": {...}}.',
        issues: zodIssues(parsed.error),
      });
      return;
    }
    const conversationId = webConversationId(id);
    const locale = parsed.data.locale ?? localeFrom(req);
    const allowed = await this.options.limits?.message(conversationId);
    if (allowed && !allowed.allowed) {
      this.options.metrics?.inc('web_rate_limited_total', { limit: 'message' });
      sendTooMany(res, locale ?? 'de', allowed.retryAfterMs);
      return;
    }
    const replies = await this.runTurn(id, access, {
      id: keyHeader ? `${conversationId}:key:${keyHeader}` : `${conversationId}:${randomUUID()}`,
      locale,
      text: parsed.data.text,
      action: parsed.data.action,
      // A retry with the same key gets the first answer again, also after a restart.
      replay: keyHeader !== undefined,
    });
    sendJson(res, 200, { replies });
  }

  /** One turn of an issued conversation (a message, a click, files): the engine's replies. */
  async runTurn(
    id: string,
    access: WebAccess,
    fields: Pick<Turn, 'id' | 'locale' | 'text' | 'action' | 'attachments' | 'replay'>,
  ): Promise<Reply[]> {
    const conversationId = webConversationId(id);
    const turn: Turn = {
      ...fields,
      conversation: { channel: 'web', conversationId, address: { webId: id } },
      customer: customerOf(conversationId, access.identity),
      receivedAt: this.clock.now(),
    };
    this.options.metrics?.inc('turns_total', { channel: 'web' });
    await this.touch(conversationId);
    const replies = await this.options.engine.handle(turn);
    this.log.debug('turn answered', { conversationId, turnId: turn.id, replies: replies.length });
    return replies;
  }

  /** `POST /api/conversations`: a new conversation, its id and token (shown once, stored hashed). */
  private async openConversation(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const allowed = await this.options.limits?.newConversation(req);
    if (allowed && !allowed.allowed) {
      req.resume();
      this.options.metrics?.inc('web_rate_limited_total', { limit: 'new-conversation' });
      sendTooMany(res, localeFrom(req) ?? 'de', allowed.retryAfterMs);
      return;
    }
    const body = await readJson(req, { allowEmpty: true });
    if (!body.ok) {
      sendError(res, body.status, body.error, body.status === 413 ? { Connection: 'close' } : {});
      return;
    }
    const parsed = OpenBodySchema.safeParse(body.value);
    if (!parsed.success) {
      sendError(res, 400, {
        code: 'invalid_body',
        message: 'A new conversation takes an empty body, {} or {"identity": {...}}.',
        issues: zodIssues(parsed.error),
      });
      return;
    }
    const identity = this.verifiedIdentity(parsed.data.identity);
    let issued: { id: string; token: string };
    try {
      issued = await this.access.issue(identity);
    } catch (error) {
      this.storeAway(res, 'conversation not issued', error);
      return;
    }
    this.options.metrics?.inc('web_conversations_issued_total', {});
    this.log.info('web conversation issued', {
      conversationId: webConversationId(issued.id),
      verifiedIdentity: identity !== undefined,
    });
    sendJson(res, 201, issued, { Location: `/api/conversations/${issued.id}` });
  }

  /**
   * The identity an embedding page vouches for, when its hash checks out under WEB_IDENTITY_SECRET.
   * Any other claim is ignored, and the log says why (never what was claimed).
   */
  private verifiedIdentity(claim: unknown): WebIdentity | undefined {
    if (claim === undefined) return undefined;
    const parsed = IdentityClaimSchema.safeParse(claim);
    if (!parsed.success) {
      this.log.warn('identity claim ignored: not of the documented shape', {
        issues: parsed.error.issues.map((i) => i.path.join('.') || '(identity)'),
      });
      return undefined;
    }
    const result = verifyIdentity(this.options.identitySecret, parsed.data);
    if (result.verified) return result.identity;
    this.log.warn(
      result.reason === 'no-secret'
        ? 'identity claim ignored: WEB_IDENTITY_SECRET is not set'
        : 'identity claim ignored: its hash does not match',
    );
    return undefined;
  }

  /**
   * The conversation's access (with its verified identity), or undefined after answering 401/404
   * (nothing recorded) when the request does not carry this conversation's token.
   */
  async authorize(req: IncomingMessage, res: ServerResponse, id: string): Promise<WebAccess | undefined> {
    let result: AccessResult;
    try {
      result = await this.access.check(req, id);
    } catch (error) {
      req.resume();
      this.storeAway(res, 'conversation access not checked', error);
      return undefined;
    }
    if (result.ok) return result.access;
    req.resume();
    this.options.metrics?.inc('web_access_denied_total', {});
    this.log.info('web chat request refused', {
      conversationId: webConversationId(id),
      reason: result.reason,
    });
    if (result.reason === 'missing') {
      sendError(
        res,
        401,
        {
          code: 'token_required',
          message: 'Send "Authorization: Bearer <token>" with the token POST /api/conversations issued.',
        },
        { 'WWW-Authenticate': 'Bearer realm="web-chat"' },
      );
      return undefined;
    }
    // An unknown id and a wrong token answer alike: nobody learns which conversations exist.
    sendError(res, 404, {
      code: 'conversation_not_found',
      message: 'No such conversation for this token; open a new one with POST /api/conversations.',
    });
    return undefined;
  }

  private storeAway(res: ServerResponse, what: string, error: unknown): void {
    this.log.warn(`web access store not reachable; ${what}`, {
      error: error instanceof Error ? error.message : String(error),
    });
    sendError(
      res,
      503,
      { code: 'store_unavailable', message: 'The chat is not available right now; try again shortly.' },
      { 'Retry-After': '2' },
    );
  }

  /**
   * Marks the conversation known to the event store, so polling it is not "unknown" later. The
   * conversation store knows it too, so while the event store is away (Redis down) the customer
   * still gets the answer.
   */
  private async touch(conversationId: string): Promise<void> {
    try {
      await this.options.events.touch(conversationId);
    } catch (error) {
      this.log.warn('web event store not reachable; conversation not marked', {
        conversationId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async getEvents(req: IncomingMessage, res: ServerResponse, params: RouteParams): Promise<void> {
    const id = params.id ?? '';
    if (!CONVERSATION_ID.test(id)) {
      badConversationId(res);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const afterText = url.searchParams.get('after') ?? '0';
    const waitText = url.searchParams.get('wait') ?? '0';
    if (!/^\d{1,15}$/.test(afterText) || !/^\d{1,3}$/.test(waitText)) {
      sendError(res, 400, {
        code: 'invalid_query',
        message: '"after" must be a non-negative integer cursor and "wait" a number of seconds.',
      });
      return;
    }
    if (!(await this.authorize(req, res, id))) return;
    const conversationId = webConversationId(id);
    try {
      await this.answerEvents(res, conversationId, Number(afterText), Number(waitText) * 1000);
    } catch (error) {
      // The event store (Redis) is away: the page polls again; nothing pushed is lost meanwhile.
      this.log.warn('web event store not reachable', {
        conversationId,
        error: error instanceof Error ? error.message : String(error),
      });
      sendError(
        res,
        503,
        { code: 'store_unavailable', message: 'Messages cannot be fetched right now; try again shortly.' },
        { 'Retry-After': '2' },
      );
    }
  }

  /** The events after the cursor, holding the request up to `requestedWaitMs` when there are none yet. */
  private async answerEvents(
    res: ServerResponse,
    conversationId: string,
    after: number,
    requestedWaitMs: number,
  ): Promise<void> {
    let result = await this.options.events.since(conversationId, after);
    const waitMs = Math.min(requestedWaitMs, this.maxWaitMs);
    if (result.events.length === 0 && waitMs > 0) {
      // Long poll: hold the request until something is pushed, or the client gave up.
      const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
      await Promise.race([this.options.events.waitFor(conversationId, after, waitMs), closed]);
      result = await this.options.events.since(conversationId, after);
    }
    sendJson(res, 200, {
      events: result.events.map((e) => ({ seq: e.seq, at: new Date(e.at).toISOString(), reply: e.reply })),
      cursor: result.cursor,
    });
  }
}
