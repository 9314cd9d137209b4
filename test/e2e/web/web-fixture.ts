import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningBot, startBot } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { silentLogger } from '../../../src/core/logger.ts';

export const ADMIN_TOKEN = 'test-admin-token-4711';

export interface WebFixture {
  url: string;
  bot: RunningBot;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The bot as `npm start` builds it (engine, desk, understanding, curation, embedded stores, one
 * HTTP server), on a free port with its own data directory.
 */
export async function startWebFixture(
  options: { adminToken?: string | undefined; env?: Record<string, string> } = {},
): Promise<WebFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'support-bot-web-'));
  const adminToken = 'adminToken' in options ? options.adminToken : ADMIN_TOKEN;
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    // Every test's customer comes from 127.0.0.1; the limit itself is tested in abuse-limits.test.ts.
    WEB_NEW_CONVERSATIONS_PER_MINUTE: '10000',
    ...options.env,
  });
  const bot = await startBot(config, silentLogger);
  return {
    url: bot.url,
    bot,
    dataDir,
    close: async () => {
      await bot.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
