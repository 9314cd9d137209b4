import { readOrCreateLocalAdminToken } from './admin/local-admin-token.ts';
import { startBot } from './app.ts';
import { type Config, parseConfig } from './config/config.ts';
import { ConfigError, ErrorCode, StoreError } from './core/errors.ts';
import { createLogger } from './ops/logger.ts';

/** Refusals an operator acts on: said plainly on stderr, not as a log line. */
const STORE_REFUSALS = new Set<string>([ErrorCode.StoreDamaged, ErrorCode.DataDirLocked]);

function failWith(error: unknown): never {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

/** The embedded default gets a local console token so `npm start` alone gives a usable console. */
async function consoleAccess(config: Config): Promise<{ token: string | undefined; hint: string }> {
  if (config.ADMIN_TOKEN) return { token: config.ADMIN_TOKEN, hint: 'sign in with ADMIN_TOKEN' };
  if (config.REDIS_URL) return { token: undefined, hint: 'disabled: set ADMIN_TOKEN to enable it' };
  const token = await readOrCreateLocalAdminToken(config.DATA_DIR);
  return {
    token,
    hint: `sign in with the token ${token} (kept in ${config.DATA_DIR}/admin-token; set ADMIN_TOKEN to choose one)`,
  };
}

/** Entry point of `npm start`: parse config once, start, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    failWith(error);
  }
  const log = createLogger({ level: config.LOG_LEVEL });
  try {
    const access = await consoleAccess(config);
    const bot = await startBot({ ...config, ADMIN_TOKEN: access.token }, log);
    const local = bot.url.replace('://127.0.0.1', '://localhost');
    process.stdout.write(
      `Support bot running.\n  Web chat:      ${local}/\n  Admin console: ${local}/admin (${access.hint})\n`,
    );
    let stopping = false;
    const stop = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      log.info('stopping', { signal });
      await bot.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    // Configuration (every problem listed) and a refused data directory: the operator acts on these.
    if (error instanceof ConfigError) failWith(error);
    if (error instanceof StoreError && STORE_REFUSALS.has(error.code)) failWith(error);
    log.error('start-up failed', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

await main();
