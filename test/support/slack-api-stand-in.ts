import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordingHttpStandIn } from './recording-http-stand-in.ts';

/**
 * A local stand-in for Slack's side of the wire: the Web API (`/api/<method>`) and the
 * `response_url`s Slack hands out (`/respond/<id>`). It records every call and answers like
 * Slack does, including scripted failures (429 with Retry-After, HTTP 500, `ok: false` errors).
 * Point Bolt's `clientOptions.slackApiUrl` (SLACK_API_URL) at `apiUrl`.
 */

export interface RecordedCall {
  /** Web API method (`chat.postMessage`) or `response_url` for posts to a response URL. */
  method: string;
  args: Record<string, unknown>;
  token?: string | undefined;
  /** Path of a response_url call. */
  path?: string | undefined;
  /** Answered with ok (false for scripted failures). */
  ok: boolean;
  status: number;
  /** What the stand-in answered (successful calls). */
  response?: Record<string, unknown> | undefined;
}

export type ScriptedFailure =
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'http-error'; status: number }
  | { kind: 'platform-error'; error: string }
  /** Slack takes the call (a post shows), but its answer is lost: the caller sees this status. */
  | { kind: 'taken-then-http-error'; status: number };

export interface StandInIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
}

const DEFAULT_IDENTITY: StandInIdentity = { teamId: 'T0SUPPORT', botUserId: 'U0BOT', botId: 'B0BOT' };

/** Values of form-encoded Web API calls that are JSON (Bolt's client serialises objects). */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'replace_original',
  'delete_original',
]);

export class SlackApiStandIn extends RecordingHttpStandIn<RecordedCall> {
  readonly identity: StandInIdentity;
  private readonly failures = new Map<string, ScriptedFailure[]>();
  private readonly users = new Map<
    string,
    { name: string; locale?: string; email?: string; enterprise?: string }
  >();
  private tsCounter = 0;
  private viewCounter = 0;
  /** Scopes `auth.test` lists in its `x-oauth-scopes` header, as Slack does; none when unset. */
  grantedScopes: string[] | undefined;
  /** Until this time (ms since epoch), every chat.* call fails this way: an outage of Slack's API. */
  private outageUntil = 0;
  private outageFailures: ScriptedFailure[] = [];
  private outageTurn = 0;
  /** Successful chat.postMessage calls per channel (cheap to read under load). */
  readonly postsPerChannel = new Map<string, number>();
  private readonly postWaiters = new Map<string, Set<() => void>>();
  /** Replies in threads as the channel shows them now (`channel:thread ts` → ts → message): deletes take them out. */
  readonly threads = new Map<string, Map<string, Record<string, unknown>>>();
  /** Messages posted outside threads, per channel, oldest first (conversations.history). */
  readonly channelMessages = new Map<string, Record<string, unknown>[]>();

  constructor(identity: Partial<StandInIdentity> = {}) {
    super('stand-in');
    this.identity = { ...DEFAULT_IDENTITY, ...identity };
  }

  get url(): string {
    return this.origin;
  }

  /** Base URL for the Web API client (ends with a slash, as the client expects). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A fresh response_url, as Slack puts into interaction and command payloads. */
  responseUrl(id = String(this.tsCounter + 1)): string {
    return `${this.url}/respond/${id}`;
  }

  /** The next `times` calls of `method` fail this way, then calls succeed again. */
  failNext(method: string, failure: ScriptedFailure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  /** Every chat.* call fails for `ms`, taking turns through `failures` (e.g. 500, then 429). */
  outage(ms: number, failures: ScriptedFailure[]): void {
    this.outageUntil = Date.now() + ms;
    this.outageFailures = failures;
  }

  /** Resolves when `channel` has at least `count` posts, or false after `timeoutMs`. */
  waitForPosts(channel: string, count: number, timeoutMs: number): Promise<boolean> {
    if ((this.postsPerChannel.get(channel) ?? 0) >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const set = this.postWaiters.get(channel) ?? new Set();
      const check = (): void => {
        if ((this.postsPerChannel.get(channel) ?? 0) < count) return;
        clearTimeout(timer);
        set.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        set.delete(check);
        resolve(false);
      }, timeoutMs);
      set.add(check);
      this.postWaiters.set(channel, set);
    });
  }

  /** Files customers share: served at `url_private_download` to a request with a token. */
  private readonly files = new Map<string, { name: string; bytes: Buffer }>();

  addFile(id: string, name: string, bytes: Buffer): void {
    this.files.set(id, { name, bytes });
  }

  addUser(
    id: string,
    name: string,
    locale?: string,
    profile: { email?: string; enterprise?: string } = {},
  ): void {
    this.users.set(id, { name, ...(locale === undefined ? {} : { locale }), ...profile });
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  /** Every call of `method`, including the scripted failures. */
  attemptsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  clear(): void {
    this.calls.length = 0;
  }

  /**
   * Resolves with the successful calls of `method` once `count` of them (matching `where`) have
   * arrived; work after Slack's ack happens in the background, so tests wait for its effects.
   */
  async waitFor(
    method: string,
    where: (call: RecordedCall) => boolean = () => true,
    count = 1,
    timeoutMs = 5_000,
  ): Promise<RecordedCall[]> {
    const matching = () => this.callsTo(method).filter(where);
    await this.waitUntil(
      () => matching().length >= count,
      timeoutMs,
      () =>
        `waited for ${count} × ${method}; saw: ${this.calls.map((c) => c.method).join(', ') || 'nothing'}`,
    );
    return matching();
  }

  protected handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const args = parseBody(raw, req.headers['content-type'] ?? '');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const auth = req.headers.authorization;
    const token =
      typeof auth === 'string' && auth.startsWith('Bearer ')
        ? auth.slice(7)
        : typeof args.token === 'string'
          ? args.token
          : undefined;
    delete args.token;

    if (path.startsWith('/files-pri/')) {
      const file = this.files.get(path.split('/')[2] ?? '');
      this.record({ method: 'file_download', args, token, path, ok: Boolean(file && token), status: 200 });
      if (!file || !token) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(file.bytes);
      return;
    }
    if (path.startsWith('/respond/')) {
      this.record({ method: 'response_url', args, token, path, ok: true, status: 200 });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
      return;
    }
    const method = path.startsWith('/api/') ? path.slice(5) : path;
    const inOutage =
      method.startsWith('chat.') && Date.now() < this.outageUntil && this.outageFailures.length > 0;
    const failure = inOutage
      ? this.outageFailures[this.outageTurn++ % this.outageFailures.length]
      : this.failures.get(method)?.shift();
    if (failure?.kind === 'taken-then-http-error') {
      const taken = this.answer(method, args);
      this.record({ method, args, token, ok: taken.ok === true, status: failure.status, response: taken });
      if (method === 'chat.postMessage' && taken.ok === true) this.countPost(String(args.channel));
      res.writeHead(failure.status, { 'content-type': 'text/plain' });
      res.end('upstream trouble');
      return;
    }
    if (failure) {
      this.record({ method, args, token, ok: false, status: failure.kind === 'platform-error' ? 200 : 0 });
      if (failure.kind === 'rate-limited') {
        res.writeHead(429, {
          'retry-after': String(failure.retryAfterSeconds),
          'content-type': 'application/json',
        });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      } else if (failure.kind === 'http-error') {
        res.writeHead(failure.status, { 'content-type': 'text/plain' });
        res.end('upstream trouble');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: failure.error }));
      }
      return;
    }
    const answer = this.answer(method, args);
    this.record({ method, args, token, ok: answer.ok === true, status: 200, response: answer });
    if (method === 'chat.postMessage' && answer.ok === true) this.countPost(String(args.channel));
    const scopes = method === 'auth.test' && this.grantedScopes;
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(scopes ? { 'x-oauth-scopes': scopes.join(',') } : {}),
    });
    res.end(JSON.stringify(answer));
  }

  private countPost(channel: string): void {
    this.postsPerChannel.set(channel, (this.postsPerChannel.get(channel) ?? 0) + 1);
    for (const wake of [...(this.postWaiters.get(channel) ?? [])]) wake();
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1767600000.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const { teamId, botUserId, botId } = this.identity;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://support.example/',
          team: 'Support',
          user: 'supportbot',
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
        };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        const message = { ...args, ts, bot_id: botId, user: botUserId };
        if (typeof args.thread_ts === 'string') {
          const key = `${String(args.channel)}:${args.thread_ts}`;
          const thread = this.threads.get(key) ?? new Map<string, Record<string, unknown>>();
          thread.set(ts, message);
          this.threads.set(key, thread);
        } else {
          const list = this.channelMessages.get(String(args.channel)) ?? [];
          list.push(message);
          this.channelMessages.set(String(args.channel), list);
        }
        return { ok: true, channel: args.channel, ts, message };
      }
      case 'chat.delete': {
        for (const [key, thread] of this.threads) {
          if (key.startsWith(`${String(args.channel)}:`) && thread.delete(String(args.ts)))
            return { ok: true, channel: args.channel, ts: args.ts };
        }
        return { ok: false, error: 'message_not_found' };
      }
      case 'conversations.replies': {
        // The parent first, as Slack answers; the stand-in keeps only the replies' content.
        const thread = this.threads.get(`${String(args.channel)}:${String(args.ts)}`);
        return {
          ok: true,
          messages: [
            { ts: args.ts, bot_id: botId, user: botUserId },
            ...withMetadataIfAsked([...(thread?.values() ?? [])], args),
          ],
          has_more: false,
        };
      }
      case 'conversations.history': {
        // Newest first, as Slack answers.
        const list = [...(this.channelMessages.get(String(args.channel)) ?? [])].reverse();
        const limit = Number(args.limit ?? 100);
        return {
          ok: true,
          messages: withMetadataIfAsked(list.slice(0, limit), args),
          has_more: list.length > limit,
        };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: args.channel,
          permalink: `https://support.example/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}`,
        };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        this.viewCounter += 1;
        return {
          ok: true,
          view: { id: `V${this.viewCounter}`, hash: `h${this.viewCounter}`, ...(args.view as object) },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'X')}` } };
      case 'files.info': {
        const id = String(args.file ?? '');
        const file = this.files.get(id);
        if (!file) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          file: {
            id,
            name: file.name,
            size: file.bytes.length,
            url_private: `${this.url}/files-pri/${id}/${encodeURIComponent(file.name)}`,
            url_private_download: `${this.url}/files-pri/${id}/download/${encodeURIComponent(file.name)}`,
          },
        };
      }
      case 'users.info': {
        const id = String(args.user ?? '');
        const user = this.users.get(id);
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id,
            name: user.name,
            real_name: user.name,
            locale: user.locale,
            profile: {
              display_name: user.name,
              real_name: user.name,
              ...(user.email ? { email: user.email } : {}),
            },
            ...(user.enterprise ? { enterprise_user: { enterprise_id: user.enterprise, id } } : {}),
          },
        };
      }
      default:
        return { ok: true };
    }
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = JSON_FIELDS.has(key) && /^[[{]|^(true|false)$/.test(value) ? JSON.parse(value) : value;
  }
  return out;
}

/** Slack returns a message's metadata only to a read that asks for it (include_all_metadata). */
function withMetadataIfAsked(
  messages: Record<string, unknown>[],
  args: Record<string, unknown>,
): Record<string, unknown>[] {
  if (args.include_all_metadata === true || args.include_all_metadata === 'true') return messages;
  return messages.map(({ metadata: _metadata, ...rest }) => rest);
}
