import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalBot, type LocalBot } from '../../../src/channels/cli/local-bot.ts';
import { HttpServer } from '../../../src/channels/web/http-server.ts';
import { startWebChannel, type WebChannel } from '../../../src/channels/web/start-web-channel.ts';

export const ADMIN_TOKEN = 'test-admin-token-4711';

export interface WebFixture {
  url: string;
  bot: LocalBot;
  server: HttpServer;
  web: WebChannel;
  dataDir: string;
  close(): Promise<void>;
}

/** The real bot (engine, desk, understanding, embedded stores) behind the real server, on a free port. */
export async function startWebFixture(
  options: { adminToken?: string | undefined } = {},
): Promise<WebFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'support-bot-web-'));
  const bot = await createLocalBot({
    knowledgeDir: 'knowledge',
    intentsDir: 'intents',
    supportConfig: 'config/support.yaml',
    thresholds: { threshold: 0.5, margin: 0.1 },
    dataDir: join(dataDir, 'stores'),
  });
  const server = new HttpServer({ port: 0, stopGraceMs: 2_000 });
  const web = await startWebChannel({
    server,
    engine: bot.engine,
    agentDesk: bot.agentDesk,
    stores: bot.stores,
    understanding: bot.understanding,
    delivery: bot.delivery,
    adminToken: 'adminToken' in options ? options.adminToken : ADMIN_TOKEN,
    dataDir,
  });
  const { url } = await server.start();
  return {
    url,
    bot,
    server,
    web,
    dataDir,
    close: async () => {
      await web.stop();
      await server.stop();
      await bot.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
