import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import { SupportBotError } from '../core/errors.ts';
import type { Stores } from '../core/ports.ts';
import { createStores } from '../store/create-stores.ts';

type CommandConfig = Pick<Config, 'REDIS_URL' | 'REDIS_PREFIX' | 'DATA_DIR' | 'PORT' | 'ADMIN_TOKEN'>;

/**
 * The stores a command works on, or undefined when the bot running on this machine holds the
 * embedded store (its data directory is locked): the command then asks that bot instead.
 */
export async function openStoresUnlessBotRuns(config: CommandConfig): Promise<Stores | undefined> {
  try {
    return await createStores({
      redisUrl: config.REDIS_URL,
      redisPrefix: config.REDIS_PREFIX,
      dataDir: config.DATA_DIR,
      warn: () => {},
    });
  } catch (error) {
    if (error instanceof SupportBotError && error.code === 'data_dir_locked') return undefined;
    throw error;
  }
}

/** `work` on the stores (closed after), or `viaBot` when the running bot holds them. */
export async function withStoresOrBot<T>(
  config: CommandConfig,
  work: (stores: Stores) => Promise<T>,
  viaBot: () => Promise<T>,
): Promise<T> {
  const stores = await openStoresUnlessBotRuns(config);
  if (!stores) return viaBot();
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
}

/** The running bot's address on this machine, for a path of its API. */
export function runningBotUrl(config: CommandConfig, path: string): string {
  return `http://127.0.0.1:${config.PORT}${path}`;
}

/** What a command asks the running bot with: ADMIN_TOKEN, or the bootstrap token `npm start` kept. */
export async function runningBotToken(config: CommandConfig): Promise<string> {
  return (
    config.ADMIN_TOKEN ??
    (await readFile(join(config.DATA_DIR, 'admin-token'), 'utf8').catch(() => '')).trim()
  );
}
