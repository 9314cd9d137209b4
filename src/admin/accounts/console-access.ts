import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Account, hashToken, mayDo, type Permission, type Role } from '../../core/account.ts';
import type { AccountStore } from '../../core/ports.ts';
import { sendError } from '../../http/http-json.ts';
import type { RouteHandler, RouteParams } from '../../http/http-server.ts';
import type { AdminAuth } from '../admin-auth.ts';

/** Who is asking: a named account, or whoever holds ADMIN_TOKEN (the bootstrap admin). */
export type Principal =
  | { kind: 'account'; account: Account; role: Role }
  | { kind: 'bootstrap'; role: 'admin' }
  /** A helpdesk with INTEGRATION_TOKEN: works tickets, nothing else. */
  | { kind: 'integration'; role: 'agent' };

const principals = new WeakMap<IncomingMessage, Principal>();

/** The principal a guarded request was let in as. */
export function principalOf(req: IncomingMessage): Principal {
  return principals.get(req) ?? { kind: 'bootstrap', role: 'admin' };
}

/**
 * The actor of a change: the account's name, or for the shared ADMIN_TOKEN the name typed in the
 * console (self-declared: anyone with the token can type any name), else `admin-console`.
 */
export function actorOf(principal: Principal, typed: string | undefined): string {
  if (principal.kind === 'account') return principal.account.name;
  if (principal.kind === 'integration') return `helpdesk:${typed || 'integration'}`;
  return typed || 'admin-console';
}

/** What a guard needs: the console's routes are mounted with one of these per permission. */
export interface RouteGuard {
  guard(handler: RouteHandler): RouteHandler;
}

const PERMISSION_TEXT: Record<Permission, string> = {
  tickets: 'work tickets',
  curate: 'change the FAQ or work the inbox',
  report: 'read the reports',
  administer: 'manage accounts or read the audit log',
  'signed-in': 'use the console',
};

/**
 * The console's sign-in: a personal token (its hash found among the accounts) or ADMIN_TOKEN,
 * checked by AdminAuth with its throttling of wrong tokens. 401 without a valid token, 403 when
 * the role may not do what the route does.
 */
export class ConsoleAccess {
  private readonly integrationHash: Buffer | undefined;

  constructor(
    private readonly adminAuth: AdminAuth,
    private readonly accounts: Pick<AccountStore, 'findByTokenHash'>,
    /** INTEGRATION_TOKEN: a helpdesk may use the ticket routes with it, and no other route. */
    integrationToken?: string | undefined,
  ) {
    this.integrationHash = integrationToken ? Buffer.from(hashToken(integrationToken), 'hex') : undefined;
  }

  /** A guard for one permission, in the shape the API classes mount with. */
  for(permission: Permission): RouteGuard {
    return { guard: (handler) => this.guard(permission, handler) };
  }

  guard(permission: Permission, handler: RouteHandler): RouteHandler {
    return async (req: IncomingMessage, res: ServerResponse, params: RouteParams) => {
      const principal = await this.identify(req);
      if (!principal) {
        // Not a personal token: AdminAuth decides (ADMIN_TOKEN, or 401/429 with its throttling).
        return this.adminAuth.guard((r, s, p) =>
          this.allow({ kind: 'bootstrap', role: 'admin' }, permission, handler, r, s, p),
        )(req, res, params);
      }
      return this.allow(principal, permission, handler, req, res, params);
    };
  }

  private allow(
    principal: Principal,
    permission: Permission,
    handler: RouteHandler,
    req: IncomingMessage,
    res: ServerResponse,
    params: RouteParams,
  ): unknown {
    const scopedOut = principal.kind === 'integration' && permission !== 'tickets';
    if (scopedOut || !mayDo(principal.role, permission)) {
      req.resume();
      sendError(res, 403, {
        code: 'forbidden',
        message: scopedOut
          ? `The integration token may only work tickets, not ${PERMISSION_TEXT[permission]}.`
          : `An account with the role ${principal.role} may not ${PERMISSION_TEXT[permission]}.`,
      });
      return;
    }
    principals.set(req, principal);
    return handler(req, res, params);
  }

  private async identify(req: IncomingMessage): Promise<Principal | undefined> {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (bearer && this.integrationHash) {
      // Hashes of equal length compared in constant time: the token's length and prefix stay secret.
      const given = Buffer.from(hashToken(bearer), 'hex');
      if (timingSafeEqual(given, this.integrationHash)) return { kind: 'integration', role: 'agent' };
    }
    const token = bearer && /^sbp_/i.test(bearer) ? bearer : undefined;
    if (!token) return undefined;
    const account = await this.accounts.findByTokenHash(hashToken(token));
    return account ? { kind: 'account', account, role: account.role } : undefined;
  }
}
