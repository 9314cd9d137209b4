import { parseConfig } from '../config/config.ts';
import { systemClock } from '../core/clock.ts';
import { RuntimeError, SupportBotError } from '../core/errors.ts';
import type { Stores } from '../core/ports.ts';
import { attachmentFilesFor } from '../store/attachment-files.ts';
import { collectCustomerData } from './customer-data.ts';
import { type CustomerErasure, eraseCustomerData } from './customer-erasure.ts';
import { runningBotToken, runningBotUrl, withStoresOrBot } from './running-bot.ts';

interface CustomerIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

type Config = ReturnType<typeof parseConfig>;

const USAGE = `usage: support-bot customer export ID
       support-bot customer delete ID
  ID is a customer id (web-user:…, slack:T…:U…) or a conversation id (web:…, slack:…).
  export: everything held about the customer as JSON on stdout (DSGVO Art. 15).
  delete: erases it everywhere (DSGVO Art. 17): conversations and transcripts, the personal
    fields of their tickets (open ones are cancelled; the figures for reports stay), feedback,
    question logs, web chat access and replies, remembered answers, waiting messages; the
    ticket cards in Slack and Teams are redrawn without it. Prints what was erased as JSON.
  Both are written to the audit log. While the bot runs, the command asks it (its admin API,
  with ADMIN_TOKEN or DATA_DIR/admin-token).`;

/** `support-bot customer export|delete ID`. */
export async function runCustomer(args: string[], io: CustomerIo): Promise<number> {
  const [command, id, ...rest] = args;
  if (command === '--help' || command === '-h') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ((command !== 'export' && command !== 'delete') || !id || rest.length > 0) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = parseConfig(io.env);
  if (command === 'export') {
    const data = await withStoresOrBot(
      config,
      (stores) => exportFrom(stores, id),
      () => askRunningBot(config, 'GET', `${encodeURIComponent(id)}/export`),
    );
    io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return 0;
  }
  const erasure = (await deleteCustomer(config, id, io)) as CustomerErasure | undefined;
  if (!erasure?.found) {
    io.stderr.write(`Nothing is held about ${id}: no ticket, conversation or log entry with that id.\n`);
    return 1;
  }
  io.stdout.write(`${JSON.stringify(erasure, null, 2)}\n`);
  return 0;
}

/**
 * With Redis the running bot is asked first: it redraws the tickets' cards through its outbox.
 * The embedded store is locked by a running bot, which is asked then.
 */
async function deleteCustomer(config: Config, id: string, io: CustomerIo): Promise<unknown> {
  const viaBot = () => askRunningBot(config, 'DELETE', encodeURIComponent(id));
  const direct = async (stores: Stores) => {
    const erasure = await eraseCustomerData(
      {
        stores,
        attachments: attachmentFilesFor(config, systemClock),
        now: systemClock.now(),
        actor: 'command line',
      },
      id,
    );
    if (erasure.tickets.length > 0) {
      io.stderr.write(
        `The bot is not running: the cards of ${erasure.tickets.join(', ')} in Slack or Teams still show the old text until the ticket changes again; run the command while the bot runs to redraw them.\n`,
      );
    }
    return erasure;
  };
  if (config.REDIS_URL) {
    try {
      return await viaBot();
    } catch (error) {
      if (!(error instanceof SupportBotError && error.code === 'bot_not_running')) throw error;
    }
  }
  return withStoresOrBot(config, direct, viaBot);
}

async function exportFrom(stores: Stores, id: string): Promise<unknown> {
  const data = await collectCustomerData(stores, id, systemClock.now());
  await stores.audit.append({
    at: systemClock.now(),
    actor: 'command line',
    action: 'customer.export',
    target: id,
    detail: `${data.conversations.length} conversation(s), ${data.tickets.length} ticket(s)`,
  });
  return data;
}

/** The running bot's admin API, as its bootstrap admin; undefined for "nothing held" (404). */
async function askRunningBot(config: Config, method: 'GET' | 'DELETE', path: string): Promise<unknown> {
  const token = await runningBotToken(config);
  let response: Response;
  try {
    response = await fetch(runningBotUrl(config, `/api/admin/customers/${path}`), {
      method,
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch (error) {
    throw new RuntimeError('bot_not_running', `the bot does not answer on port ${config.PORT}`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (method === 'DELETE' && response.status === 404) return undefined;
  if (response.status !== 200) {
    throw new RuntimeError('customer_request_failed', `the running bot answered ${response.status}: ${text}`);
  }
  return JSON.parse(text) as unknown;
}
