import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../config/config.ts';
import { systemClock } from '../core/clock.ts';
import { RuntimeError, SupportBotError } from '../core/errors.ts';
import { createStores } from '../store/create-stores.ts';
import { collectCustomerData } from './customer-data.ts';

interface CustomerIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = `usage: support-bot customer export ID
  Everything held about one customer (a customer id such as web-user:…, slack:T…:U…, or a
  conversation id such as web:…) as JSON on stdout, for a data subject's request (DSGVO Art. 15).
  The export is written to the audit log. With the embedded store and the bot running, the
  command asks the running bot (its admin API, with ADMIN_TOKEN or DATA_DIR/admin-token).`;

/** `support-bot customer export ID`. */
export async function runCustomer(args: string[], io: CustomerIo): Promise<number> {
  const [command, id, ...rest] = args;
  if (command === '--help' || command === '-h') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'export' || !id || rest.length > 0) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = parseConfig(io.env);
  let text: string;
  try {
    text = await exportFromStores(config, id);
  } catch (error) {
    if (!(error instanceof SupportBotError && error.code === 'data_dir_locked')) throw error;
    text = await exportFromRunningBot(config, id);
  }
  io.stdout.write(`${text}\n`);
  return 0;
}

async function exportFromStores(config: ReturnType<typeof parseConfig>, id: string): Promise<string> {
  const stores = await createStores({
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    dataDir: config.DATA_DIR,
    warn: () => {},
  });
  try {
    const data = await collectCustomerData(stores, id, systemClock.now());
    await stores.audit.append({
      at: systemClock.now(),
      actor: 'command line',
      action: 'customer.export',
      target: id,
      detail: `${data.conversations.length} conversation(s), ${data.tickets.length} ticket(s)`,
    });
    return JSON.stringify(data, null, 2);
  } finally {
    await stores.close();
  }
}

/** The embedded store belongs to the running bot: ask it, as its bootstrap admin. */
async function exportFromRunningBot(config: ReturnType<typeof parseConfig>, id: string): Promise<string> {
  const token =
    config.ADMIN_TOKEN ??
    (await readFile(join(config.DATA_DIR, 'admin-token'), 'utf8').catch(() => '')).trim();
  const response = await fetch(
    `http://127.0.0.1:${config.PORT}/api/admin/customers/${encodeURIComponent(id)}/export`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  const text = await response.text();
  if (response.status !== 200) {
    throw new RuntimeError('customer_export_failed', `the running bot answered ${response.status}: ${text}`);
  }
  return JSON.stringify(JSON.parse(text), null, 2);
}
