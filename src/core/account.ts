import { createHash, randomBytes } from 'node:crypto';

/** agent: works tickets; curator: edits the FAQ and works the inbox; admin: everything, accounts too. */
export const ROLES = ['agent', 'curator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A named person with a personal token (only its hash is kept). */
export interface Account {
  /** Lower-case name, unique: how the command line names an account. */
  id: string;
  name: string;
  role: Role;
  tokenHash: string;
  /** The Slack member id of the same person: in Slack they act as this account. */
  slackUserId?: string | undefined;
  /** The Microsoft Entra object id of the same person: in Teams they act as this account. */
  teamsUserId?: string | undefined;
  createdAt: number;
  createdBy: string;
}

/** What the console and the command line show of an account: never the token's hash. */
export type AccountView = Omit<Account, 'tokenHash'>;

export function viewOf(account: Account): AccountView {
  const { tokenHash: _hash, ...view } = account;
  return view;
}

/** A personal token: 32 random bytes, prefixed so it is recognisable in a leaked file. */
export function newPersonalToken(): string {
  return `sbp_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function accountIdOf(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9äöüß]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** What each role may do in the console and the admin API. */
export type Permission = 'tickets' | 'curate' | 'report' | 'administer' | 'signed-in';

const ALLOWED: Record<Permission, readonly Role[]> = {
  tickets: ['agent', 'admin'],
  curate: ['curator', 'admin'],
  report: ['curator', 'admin'],
  administer: ['admin'],
  'signed-in': ['agent', 'curator', 'admin'],
};

export function mayDo(role: Role, permission: Permission): boolean {
  return ALLOWED[permission].includes(role);
}

/** The permissions of a role, for the console to show only what the person may use. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(ALLOWED) as Permission[]).filter((p) => mayDo(role, p));
}
