import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordingHttpStandIn } from './recording-http-stand-in.ts';

/**
 * A local stand-in for the Bot Connector service (Teams' side of the wire): the REST endpoints
 * botbuilder's connector client calls when the bot answers. Point an activity's `serviceUrl` at
 * `url` and every reply lands here. It records each call and answers like the connector does,
 * including scripted failures (429 with or without Retry-After, HTTP 500).
 *
 *   POST /v3/conversations/{conversationId}/activities                 send to conversation
 *   POST /v3/conversations/{conversationId}/activities/{activityId}    reply to an activity
 *   PUT  /v3/conversations/{conversationId}/activities/{activityId}    update (a card in place)
 *   DELETE /v3/conversations/{conversationId}/activities/{activityId}  delete
 *   POST /v3/conversations                                             create (a new thread in a
 *        channel: recorded as a message to the channel, answered with `<channel>;messageid=<id>`)
 */

export interface ConnectorCall {
  method: string;
  conversationId: string;
  /** The activity replied to or updated (absent for a plain send). */
  activityId?: string | undefined;
  /** What the bot sent. */
  activity: Record<string, unknown>;
  authorization?: string | undefined;
  /** The status the stand-in answered with. */
  status: number;
  /** Id given to a new message (sends and replies that succeeded). */
  createdId?: string | undefined;
  /** A new thread started in a channel (create conversation), not a message in an existing one. */
  createdConversation?: boolean | undefined;
}

export interface ScriptedConnectorFailure {
  status: number;
  /** Sent as Retry-After (seconds) when set. */
  retryAfterSeconds?: number | undefined;
  /** Only calls to this conversation fail (others pass while it waits); any call when unset. */
  conversationId?: string | undefined;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const CREATE_ROUTE = /^\/v3\/conversations\/?$/;

export class TeamsConnectorStandIn extends RecordingHttpStandIn<ConnectorCall> {
  private readonly failures: ScriptedConnectorFailure[] = [];
  private readonly files = new Map<string, Buffer>();
  /** Files fetched from here (inline pictures and download links), with the credentials sent. */
  readonly downloads: { path: string; authorization: string | undefined }[] = [];
  private counter = 0;

  constructor() {
    super('connector stand-in');
  }

  /** The serviceUrl to put into activities (with a trailing slash, as Teams sends it). */
  get url(): string {
    return `${this.origin}/`;
  }

  /** A picture pasted into a chat: the connector keeps it; its URL as Teams sends it (contentUrl). */
  addInlineFile(id: string, bytes: Buffer): string {
    this.files.set(`/v3/attachments/${id}/views/original`, bytes);
    return `${this.origin}/v3/attachments/${id}/views/original`;
  }

  /** A file sent with the paper clip: a pre-signed download link (downloadUrl). */
  addDownload(id: string, bytes: Buffer): string {
    this.files.set(`/files/${id}`, bytes);
    return `${this.origin}/files/${id}`;
  }

  /** The next calls (any endpoint) fail with these answers, in order. */
  failNext(...failures: ScriptedConnectorFailure[]): void {
    this.failures.push(...failures);
  }

  private takeFailure(conversationId: string): ScriptedConnectorFailure | undefined {
    const at = this.failures.findIndex(
      (f) => f.conversationId === undefined || f.conversationId === conversationId,
    );
    return at < 0 ? undefined : this.failures.splice(at, 1)[0];
  }

  /** Messages the bot posted (sends and replies) that were accepted, in order. */
  messages(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) =>
        c.method === 'POST' &&
        c.status === 200 &&
        (conversationId === undefined || c.conversationId === conversationId),
    );
  }

  /** Accepted card updates (PUT). */
  updates(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) =>
        c.method === 'PUT' &&
        c.status === 200 &&
        (conversationId === undefined || c.conversationId === conversationId),
    );
  }

  /** Resolves once the predicate holds for the calls recorded so far (proactive sends arrive later). */
  async waitFor(predicate: (calls: ConnectorCall[]) => boolean, timeoutMs = 5_000): Promise<void> {
    await this.waitUntil(
      () => predicate(this.calls),
      timeoutMs,
      () => `connector stand-in: condition not met within ${timeoutMs} ms (${this.calls.length} calls)`,
    );
  }

  protected handle(req: IncomingMessage, text: string, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = ROUTE.exec(path);
    const method = req.method ?? 'GET';
    const file = method === 'GET' ? this.files.get(path) : undefined;
    if (file) {
      this.downloads.push({ path, authorization: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': file.length });
      res.end(file);
      return;
    }
    if (method === 'POST' && CREATE_ROUTE.test(path)) {
      this.createConversation(req, text, res);
      return;
    }
    if (!match || !['POST', 'PUT', 'DELETE'].includes(method)) {
      this.answer(res, 404, { error: { code: 'NotFound', message: `no route ${method} ${path}` } });
      return;
    }
    const conversationId = decodeURIComponent(match[1] as string);
    const activityId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    let activity: Record<string, unknown> = {};
    if (text.trim()) {
      try {
        activity = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        this.answer(res, 400, { error: { code: 'BadArgument', message: String(error) } });
        return;
      }
    }
    const call: ConnectorCall = {
      method,
      conversationId,
      activityId,
      activity,
      authorization: req.headers.authorization,
      status: 200,
    };
    const failure = this.takeFailure(call.conversationId);
    if (failure) {
      call.status = failure.status;
      this.record(call);
      const headers: Record<string, string> =
        failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) };
      this.answer(
        res,
        failure.status,
        { error: { code: 'Throttled', message: 'scripted failure' } },
        headers,
      );
      return;
    }
    if (method === 'POST') {
      call.createdId = `msg-${++this.counter}`;
      this.record(call);
      this.answer(res, 200, { id: call.createdId });
      return;
    }
    this.record(call);
    this.answer(res, 200, method === 'PUT' ? { id: activityId } : {});
  }

  /** Teams' "create conversation" with a channel in channelData: the activity starts a new thread there. */
  private createConversation(req: IncomingMessage, text: string, res: ServerResponse): void {
    let body: { channelData?: { channel?: { id?: unknown } }; activity?: Record<string, unknown> };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (error) {
      this.answer(res, 400, { error: { code: 'BadArgument', message: String(error) } });
      return;
    }
    const channelId = body.channelData?.channel?.id;
    if (typeof channelId !== 'string' || !body.activity) {
      this.answer(res, 400, {
        error: { code: 'BadArgument', message: 'a channel and an activity are required' },
      });
      return;
    }
    const call: ConnectorCall = {
      method: 'POST',
      conversationId: channelId,
      activity: body.activity,
      authorization: req.headers.authorization,
      status: 200,
      createdConversation: true,
    };
    const failure = this.takeFailure(call.conversationId);
    if (failure) {
      call.status = failure.status;
      this.record(call);
      const headers: Record<string, string> =
        failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) };
      this.answer(
        res,
        failure.status,
        { error: { code: 'Throttled', message: 'scripted failure' } },
        headers,
      );
      return;
    }
    call.createdId = `${1_700_000_000_000 + ++this.counter}`;
    this.record(call);
    this.answer(res, 201, { id: `${channelId};messageid=${call.createdId}`, activityId: call.createdId });
  }

  private answer(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }
}
