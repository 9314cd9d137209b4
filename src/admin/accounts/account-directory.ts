import {
  type Account,
  type AccountView,
  accountIdOf,
  hashToken,
  newPersonalToken,
  type Role,
  viewOf,
} from '../../core/account.ts';
import type { Clock } from '../../core/clock.ts';
import type { Stores } from '../../core/ports.ts';

export type AddAccountOutcome =
  | { ok: true; account: AccountView; token: string }
  | { ok: false; field: string; message: string };

/** How stale the account mapping of a Slack or Teams sender may be (changes by other processes). */
const MAPPING_CACHE_MS = 2_000;

/** Slack member ids look like U012ABCDEF (or W… in Enterprise Grid). */
const SLACK_MEMBER_ID = /^[UW][A-Z0-9]{2,}$/;
/** Teams names people by their Entra object id (aadObjectId), a GUID. */
const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/;

/**
 * Adds, lists and removes console accounts; every change is in the audit log. A new account's
 * personal token is shown once: only its hash is kept.
 */
export class AccountDirectory {
  /** The accounts as read at most MAPPING_CACHE_MS ago, for the per-message name lookups. */
  private mapped: { at: number; accounts: Promise<Account[]> } | undefined;

  constructor(
    private readonly stores: Pick<Stores, 'accounts' | 'audit'>,
    private readonly clock: Clock,
  ) {}

  /**
   * Every customer message asks whether its sender is mapped to an account: reading every
   * account each time cost a Redis round trip per message. A change made here shows at once,
   * one made by another process within MAPPING_CACHE_MS.
   */
  private mappedAccounts(): Promise<Account[]> {
    const now = this.clock.now();
    if (!this.mapped || now - this.mapped.at > MAPPING_CACHE_MS || now < this.mapped.at) {
      const accounts = this.stores.accounts.list();
      this.mapped = { at: now, accounts };
      // A failed read is not kept: the next message reads again.
      accounts.catch(() => {
        if (this.mapped?.accounts === accounts) this.mapped = undefined;
      });
    }
    return this.mapped.accounts;
  }

  async list(): Promise<AccountView[]> {
    return (await this.stores.accounts.list()).map(viewOf);
  }

  async add(
    input: { name: string; role: Role; slackUserId?: string | undefined; teamsUserId?: string | undefined },
    actor: string,
  ): Promise<AddAccountOutcome> {
    const name = input.name.trim();
    const id = accountIdOf(name);
    if (name.length < 2 || name.length > 100 || id === '') {
      return { ok: false, field: 'name', message: 'a name of 2 to 100 characters, with letters or digits' };
    }
    if (input.slackUserId !== undefined && !SLACK_MEMBER_ID.test(input.slackUserId)) {
      return { ok: false, field: 'slackUserId', message: 'a Slack member id such as U012ABCDEF' };
    }
    const teamsUserId = input.teamsUserId?.toLowerCase();
    if (teamsUserId !== undefined && !ENTRA_OBJECT_ID.test(teamsUserId)) {
      return { ok: false, field: 'teamsUserId', message: 'a Microsoft Entra object id (a GUID)' };
    }
    const existing = await this.stores.accounts.list();
    if (existing.some((a) => a.id === id)) {
      return { ok: false, field: 'name', message: `there is an account "${id}" already; remove it first` };
    }
    const taken = existing.find((a) => input.slackUserId && a.slackUserId === input.slackUserId);
    if (taken)
      return { ok: false, field: 'slackUserId', message: `${input.slackUserId} belongs to ${taken.name}` };
    const teamsTaken = existing.find((a) => teamsUserId && a.teamsUserId === teamsUserId);
    if (teamsTaken)
      return { ok: false, field: 'teamsUserId', message: `${teamsUserId} belongs to ${teamsTaken.name}` };
    const token = newPersonalToken();
    const account: Account = {
      id,
      name,
      role: input.role,
      tokenHash: hashToken(token),
      ...(input.slackUserId ? { slackUserId: input.slackUserId } : {}),
      ...(teamsUserId ? { teamsUserId } : {}),
      createdAt: this.clock.now(),
      createdBy: actor,
    };
    await this.stores.accounts.put(account);
    this.mapped = undefined;
    await this.stores.audit.append({
      at: account.createdAt,
      actor,
      action: 'account.add',
      target: id,
      after: viewOf(account),
    });
    return { ok: true, account: viewOf(account), token };
  }

  /** By id or name; false when there is no such account. */
  async remove(idOrName: string, actor: string): Promise<boolean> {
    const id = accountIdOf(idOrName);
    const account = (await this.stores.accounts.list()).find((a) => a.id === id);
    if (!account || !(await this.stores.accounts.remove(id))) return false;
    this.mapped = undefined;
    await this.stores.audit.append({
      at: this.clock.now(),
      actor,
      action: 'account.remove',
      target: id,
      before: viewOf(account),
    });
    return true;
  }

  /** The account a Slack member acts as, when one is mapped. */
  async bySlackUser(slackUserId: string): Promise<AccountView | undefined> {
    const account = (await this.mappedAccounts()).find((a) => a.slackUserId === slackUserId);
    return account && viewOf(account);
  }

  /** The account a Teams user (by Entra object id) acts as, when one is mapped. */
  async byTeamsUser(aadObjectId: string): Promise<AccountView | undefined> {
    const id = aadObjectId.toLowerCase();
    const account = (await this.mappedAccounts()).find((a) => a.teamsUserId === id);
    return account && viewOf(account);
  }
}
