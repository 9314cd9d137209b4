import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RuntimeError } from '../../core/errors.ts';
import type { WebAccess, WebAccessStore, WebIdentity } from '../../store/ports.ts';

/** 128 random bits as base64url: 22 characters, unguessable, fits the conversation id pattern. */
const ID_BYTES = 16;
/** 256 random bits: the bearer token is the only thing that lets a client into a conversation. */
const TOKEN_BYTES = 32;
const BEARER = /^Bearer ([A-Za-z0-9_-]{16,200})$/i;

export interface IssuedConversation {
  /** The public id (used in URLs), without the `web:` prefix. */
  id: string;
  /** The secret, handed out once; the server keeps only its hash. */
  token: string;
}

/** Why a request may not touch a conversation; `missing` answers 401, the others 404 alike. */
export type AccessDenied = 'missing' | 'unknown' | 'wrong';

export type AccessResult = { ok: true; access: WebAccess } | { ok: false; reason: AccessDenied };

export function hashWebToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Web conversations are issued by the server, never chosen by the client: an opaque random id and
 * a bearer token whose hash is stored. Every later request must carry the token.
 */
export class WebConversationAccess {
  constructor(
    private readonly store: WebAccessStore,
    private readonly now: () => number,
    private readonly toConversationId: (id: string) => string,
  ) {}

  async issue(identity?: WebIdentity): Promise<IssuedConversation> {
    // A collision of 128 random bits does not happen; the loop only guards against a broken RNG.
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = randomBytes(ID_BYTES).toString('base64url');
      const token = randomBytes(TOKEN_BYTES).toString('base64url');
      const access: WebAccess = { tokenHash: hashWebToken(token), issuedAt: this.now(), identity };
      if (await this.store.issue(this.toConversationId(id), access)) return { id, token };
    }
    throw new RuntimeError('internal_error', 'could not issue a fresh web conversation id');
  }

  /** Checks the request's bearer token against the conversation's stored hash, in constant time. */
  async check(req: IncomingMessage, id: string): Promise<AccessResult> {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
    if (!match?.[1]) return { ok: false, reason: 'missing' };
    const access = await this.store.get(this.toConversationId(id));
    if (!access) return { ok: false, reason: 'unknown' };
    const given = Buffer.from(hashWebToken(match[1]), 'hex');
    const stored = Buffer.from(access.tokenHash, 'hex');
    if (given.length !== stored.length || !timingSafeEqual(given, stored))
      return { ok: false, reason: 'wrong' };
    return { ok: true, access };
  }
}
