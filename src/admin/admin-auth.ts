import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from '../http/http-json.ts';
import type { RouteHandler, RouteParams } from '../http/http-server.ts';

export type AuthResult =
  | { ok: true }
  | {
      ok: false;
      status: 401 | 429;
      code: 'admin_disabled' | 'unauthorized' | 'too_many_attempts';
      message: string;
    };

export interface AdminAuthOptions {
  /** ADMIN_TOKEN; when absent the admin and agent API is switched off. */
  token?: string | undefined;
  now?: (() => number) | undefined;
  /** Failed attempts per client address per minute before it is told to wait. */
  maxFailuresPerMinute?: number | undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Bearer-token check for the agent/admin API. Tokens are compared as SHA-256 digests with
 * timingSafeEqual, so neither content nor length leaks through timing. Repeated wrong tokens from
 * one address are answered 429 for the rest of the minute (guessing becomes pointless); the right
 * token is accepted all the same.
 */
export class AdminAuth {
  private readonly expected: Buffer | undefined;
  private readonly now: () => number;
  private readonly maxFailures: number;
  private readonly failures = new Map<string, { windowStart: number; count: number }>();

  constructor(options: AdminAuthOptions) {
    this.expected = options.token ? digest(options.token) : undefined;
    this.now = options.now ?? Date.now;
    this.maxFailures = options.maxFailuresPerMinute ?? 120;
  }

  get enabled(): boolean {
    return this.expected !== undefined;
  }

  check(req: IncomingMessage): AuthResult {
    if (!this.expected) {
      return {
        ok: false,
        status: 401,
        code: 'admin_disabled',
        message:
          'The agent and admin API is disabled. Set ADMIN_TOKEN (at least 8 characters) and restart the bot.',
      };
    }
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    // The right token always gets in: behind a load balancer every agent shares one address, and
    // someone guessing there must not lock them out. Only wrong tokens are slowed down.
    if (match?.[1] && timingSafeEqual(digest(match[1]), this.expected)) return { ok: true };
    const client = req.socket.remoteAddress ?? 'unknown';
    const now = this.now();
    const record = this.failures.get(client);
    if (header && record && now - record.windowStart < 60_000 && record.count >= this.maxFailures) {
      return {
        ok: false,
        status: 429,
        code: 'too_many_attempts',
        message: 'Too many wrong tokens; wait a minute.',
      };
    }
    // Only wrong tokens count: a missing header is a client not set up yet, not a guess.
    if (header) this.fail(client, now);
    return {
      ok: false,
      status: 401,
      code: 'unauthorized',
      message: header
        ? 'The token is wrong.'
        : 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>".',
    };
  }

  /** Wraps a handler so it only runs with a valid token. */
  guard(handler: RouteHandler): RouteHandler {
    return (req: IncomingMessage, res: ServerResponse, params: RouteParams) => {
      const result = this.check(req);
      if (!result.ok) {
        req.resume();
        sendError(
          res,
          result.status,
          { code: result.code, message: result.message },
          result.status === 401
            ? { 'WWW-Authenticate': 'Bearer realm="support-bot"' }
            : { 'Retry-After': '60' },
        );
        return;
      }
      return handler(req, res, params);
    };
  }

  private fail(client: string, now: number): void {
    const record = this.failures.get(client);
    if (!record || now - record.windowStart >= 60_000)
      this.failures.set(client, { windowStart: now, count: 1 });
    else record.count += 1;
    // Bounded memory: forget old windows when the map grows.
    if (this.failures.size > 10_000) {
      for (const [key, r] of this.failures) if (now - r.windowStart >= 60_000) this.failures.delete(key);
    }
  }
}
