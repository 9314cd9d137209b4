import { parseArgs } from 'node:util';
import { type Config, parseConfig } from '../../config/config.ts';
import { type AccountView, isRole, ROLES, type Role } from '../../core/account.ts';
import { systemClock } from '../../core/clock.ts';
import { RuntimeError } from '../../core/errors.ts';
import { errorMessage } from '../../core/logger.ts';
import { openStoresUnlessBotRuns, runningBotToken, runningBotUrl } from '../running-bot.ts';
import { AccountDirectory } from './account-directory.ts';

interface UserIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `usage: support-bot user add NAME --role ${ROLES.join('|')} [--slack MEMBERID] [--teams ENTRA-OBJECT-ID]
       support-bot user list
       support-bot user remove NAME
  A personal console token per person: shown once by "add" (only its hash is kept).
  agent: work tickets; curator: edit the FAQ, work the inbox; admin: everything, accounts too.
  --slack  the person's Slack member id: in Slack they act under this account's name.
  --teams  the person's Microsoft Entra object id: in Teams they act under this account's name.
  With the embedded store and the bot running, the command asks the running bot (its admin API,
  with ADMIN_TOKEN or DATA_DIR/admin-token).`;

/** What the command does with accounts: the stores directly, or the running bot's admin API. */
interface Accounts {
  list(): Promise<AccountView[]>;
  add(input: {
    name: string;
    role: Role;
    slackUserId?: string;
    teamsUserId?: string;
  }): Promise<{ account: AccountView; token: string } | string>;
  remove(name: string): Promise<boolean>;
  close(): Promise<void>;
}

/** `support-bot user add|list|remove`: named console accounts with roles. */
export async function runUser(args: string[], io: UserIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(`${errorMessage(error)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, name, ...rest] = positionals;
  if (values.help || !command) {
    io.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  if (rest.length > 0 || (command !== 'list' && !name) || !['add', 'list', 'remove'].includes(command)) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === 'add' && (!values.role || !isRole(values.role))) {
    io.stderr.write(`Say the role: --role ${ROLES.join('|')}.\n`);
    return 2;
  }
  const config = parseConfig(io.env);
  const accounts = await openAccounts(config);
  try {
    if (command === 'list') {
      const all = await accounts.list();
      if (all.length === 0) io.stdout.write('no accounts (ADMIN_TOKEN is the bootstrap admin)\n');
      for (const a of all) {
        io.stdout.write(
          `${a.id}\t${a.role}\t${a.name}${a.slackUserId ? `\tslack ${a.slackUserId}` : ''}${a.teamsUserId ? `\tteams ${a.teamsUserId}` : ''}\n`,
        );
      }
      return 0;
    }
    if (command === 'remove') {
      if (await accounts.remove(name ?? '')) {
        io.stdout.write(`removed ${name}; its token no longer signs in\n`);
        return 0;
      }
      io.stderr.write(`no account ${name}\n`);
      return 1;
    }
    const added = await accounts.add({
      name: name ?? '',
      role: values.role as Role,
      ...(values.slack ? { slackUserId: values.slack } : {}),
      ...(values.teams ? { teamsUserId: values.teams } : {}),
    });
    if (typeof added === 'string') {
      io.stderr.write(`${added}\n`);
      return 1;
    }
    io.stdout.write(
      `added ${added.account.name} (${added.account.role})\npersonal token (shown once, give it to ${added.account.name}):\n${added.token}\n`,
    );
    return 0;
  } finally {
    await accounts.close();
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      slack: { type: 'string' },
      teams: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

async function openAccounts(config: Config): Promise<Accounts> {
  const stores = await openStoresUnlessBotRuns(config);
  if (!stores) return runningBotAccounts(config);
  const directory = new AccountDirectory(stores, systemClock);
  return {
    list: () => directory.list(),
    add: async (input) => {
      const outcome = await directory.add(input, 'command line');
      return outcome.ok ? outcome : `${outcome.field}: ${outcome.message}`;
    },
    remove: (name) => directory.remove(name, 'command line'),
    close: () => stores.close(),
  };
}

/** The embedded store belongs to the running bot: ask it, as its bootstrap admin. */
async function runningBotAccounts(config: Config): Promise<Accounts> {
  const token = await runningBotToken(config);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(runningBotUrl(config, path), {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const failure = (json: Record<string, unknown>) =>
    String((json.error as { message?: string } | undefined)?.message ?? JSON.stringify(json));
  return {
    list: async () => {
      const { status, json } = await call('GET', '/api/admin/accounts');
      if (status !== 200) throw new RuntimeError('user_command_failed', failure(json));
      return json.accounts as AccountView[];
    },
    add: async (input) => {
      const { status, json } = await call('POST', '/api/admin/accounts', input);
      return status === 201 ? (json as { account: AccountView; token: string }) : failure(json);
    },
    remove: async (name) =>
      (await call('DELETE', `/api/admin/accounts/${encodeURIComponent(name)}`)).status === 200,
    close: async () => {},
  };
}
