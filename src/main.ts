import { startBot } from './app.ts';
import { parseConfig } from './config/config.ts';
import { ValidationFailedError } from './core/errors.ts';
import { createLogger } from './ops/logger.ts';

/** Entry point of `npm start`: parse config once, start, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger({ level: config.LOG_LEVEL });
  try {
    const bot = await startBot(config, log);
    process.stdout.write(
      `Support bot running.\n  Web chat:      ${bot.url}/\n  Admin console: ${bot.url}/admin` +
        (config.ADMIN_TOKEN
          ? ' (sign in with ADMIN_TOKEN)\n'
          : ' (disabled: set ADMIN_TOKEN to enable it)\n'),
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
    if (error instanceof ValidationFailedError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    log.error('start-up failed', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

await main();
