import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { startBotProcess } from '../../support/bot-process.ts';
import { runCli } from '../../support/run-cli.ts';
import { openWebChat } from '../../support/web-chats.ts';

// `npx support-bot customer export ID` on an embedded data directory, as an admin runs it.
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-customer-'));
  const stores = await createEmbeddedStores({ dataDir });
  const at = Date.UTC(2026, 11, 1, 9);
  for (const [id, text] of [
    ['web:kims-chat', 'Mein Kennwort für das Portal geht nicht'],
    ['web:other-chat', 'Frage eines anderen Kunden'],
  ] as const) {
    await stores.conversations.put({
      id,
      ref: { channel: 'web', conversationId: id, address: {} },
      customer: { id },
      owner: 'bot',
      language: 'de',
      transcript: [{ at, from: 'customer', text }],
      rephraseAsked: false,
      createdAt: at,
      updatedAt: at,
    });
  }
  await stores.feedback.add({
    at,
    conversationId: 'web:kims-chat',
    entryId: 'password-reset',
    language: 'de',
    helpful: false,
    reason: 'Der Link im Portal fehlt',
  });
  await stores.close();
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('support-bot customer export', () => {
  it('prints everything held about one customer as JSON, nothing of others, and audits it', async () => {
    const run = await runCli(['customer', 'export', 'web:kims-chat'], { env: { DATA_DIR: dataDir } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout) as { conversations: unknown[]; feedback: unknown[] };
    expect(data.conversations).toHaveLength(1);
    expect(run.stdout).toContain('Mein Kennwort für das Portal geht nicht');
    expect(run.stdout).toContain('Der Link im Portal fehlt');
    expect(run.stdout).not.toContain('anderen Kunden');
    const stores = await createEmbeddedStores({ dataDir });
    try {
      expect(await stores.audit.list()).toContainEqual(
        expect.objectContaining({
          action: 'customer.export',
          target: 'web:kims-chat',
          actor: 'command line',
        }),
      );
    } finally {
      await stores.close();
    }
  });

  it('says how to use it when the id is missing', async () => {
    const erase = await runCli(['customer', 'delete'], { env: { DATA_DIR: dataDir } });
    expect(erase.code).toBe(2);
    expect(erase.stderr).toContain('support-bot customer delete ID');
    const run = await runCli(['customer', 'export'], { env: { DATA_DIR: dataDir } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: support-bot customer export ID');
  });
});

describe('support-bot customer delete', () => {
  it('erases one customer from the data directory, leaves no trace of their text in its files, and audits it', async () => {
    const run = await runCli(['customer', 'delete', 'web:kims-chat'], { env: { DATA_DIR: dataDir } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      customerId: 'web:kims-chat',
      found: true,
      records: { conversations: 1, feedback: 1 },
    });
    for (const file of await readdir(dataDir, { recursive: true })) {
      const bytes = await readFile(join(dataDir, file)).catch(() => Buffer.alloc(0));
      expect(bytes.includes('Mein Kennwort für das Portal')).toBe(false);
      expect(bytes.includes('Der Link im Portal fehlt')).toBe(false);
    }
    const stores = await createEmbeddedStores({ dataDir });
    try {
      expect(await stores.conversations.get('web:other-chat')).toBeDefined();
      expect(await stores.audit.list()).toContainEqual(
        expect.objectContaining({
          action: 'customer.delete',
          target: 'web:kims-chat',
          actor: 'command line',
        }),
      );
    } finally {
      await stores.close();
    }
  });

  it('says so when nothing is held about the id', async () => {
    const run = await runCli(['customer', 'delete', 'web:kims-chat'], { env: { DATA_DIR: dataDir } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Nothing is held about web:kims-chat');
  });
});

describe('support-bot customer delete while the bot runs (npm start)', () => {
  it('asks the running bot, which erases the customer and leaves no trace in its data directory', async () => {
    const bot = await startBotProcess({}, 90_000);
    try {
      const chat = await openWebChat(bot.url);
      const response = await fetch(`${bot.url}/api/conversations/${chat.id}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${chat.token}` },
        body: JSON.stringify({ text: 'Mein Zugang Merkmal-Prozess-77 ist gesperrt' }),
      });
      expect(response.status).toBe(200);
      const env = { DATA_DIR: bot.dataDir, PORT: new URL(bot.url).port };
      const holdsMarker = async () => {
        for (const file of await readdir(bot.dataDir, { recursive: true })) {
          const bytes = await readFile(join(bot.dataDir, file)).catch(() => Buffer.alloc(0));
          if (bytes.includes('Merkmal-Prozess-77')) return file;
        }
        return undefined;
      };
      expect(await holdsMarker()).toBeDefined();

      const run = await runCli(['customer', 'delete', chat.conversationId], { env });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ found: true, records: { conversations: 1 } });
      expect(await holdsMarker()).toBeUndefined();
    } finally {
      await bot.stop();
    }
  }, 120_000);
});
