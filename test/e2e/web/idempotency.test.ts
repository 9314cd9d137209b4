import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBot } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { openWebChat } from '../../support/web-chats.ts';

async function post(url: string, token: string, key: string, text: string): Promise<Reply[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: `Bearer ${token}` },
    body: JSON.stringify({ text }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: Reply[] }).replies;
}

/** The bot's settings on a data directory of its own. */
function configIn(prefix: string) {
  return parseConfig({ PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), prefix)), LOG_LEVEL: 'silent' });
}

describe('a retried web message (Idempotency-Key)', () => {
  it('gets the first answer again: at once, concurrently, and after a restart', async () => {
    const config = configIn('sb-idem-');
    let bot = await startBot(config, silentLogger);
    try {
      // The conversation and its token outlive the restart, as the page's stored token does.
      const chat = await openWebChat(bot.url);
      const url = () => `${bot.url}/api/conversations/${chat.id}/messages`;
      const [first, concurrent] = await Promise.all([
        post(url(), chat.token, 'k-1', 'Wie richte ich das VPN ein?'),
        post(url(), chat.token, 'k-1', 'Wie richte ich das VPN ein?'),
      ]);
      expect(first.map((r) => r.type)).toContain('answer');
      expect(concurrent).toEqual(first);
      expect(await post(url(), chat.token, 'k-1', 'Wie richte ich das VPN ein?')).toEqual(first);

      await bot.stop();
      bot = await startBot(config, silentLogger);
      expect(await post(url(), chat.token, 'k-1', 'Wie richte ich das VPN ein?')).toEqual(first);
      // The retry was not a second turn: the transcript holds the question once.
      const conversation = await bot.stores.conversations.get(chat.conversationId);
      expect(conversation?.transcript.filter((l) => l.from === 'customer')).toHaveLength(1);
      // A new key is a new message.
      const second = await post(url(), chat.token, 'k-2', 'Danke!');
      expect(second).not.toEqual(first);
    } finally {
      await bot.stop();
    }
  });

  it('answers a retry whose first attempt died before answering, and only once', async () => {
    const config = configIn('sb-idem-dead-');
    const bot = await startBot(config, silentLogger);
    try {
      const chat = await openWebChat(bot.url);
      const url = `${bot.url}/api/conversations/${chat.id}/messages`;
      // All the first attempt left: the turn marked as seen (its process was killed right after).
      const turnId = `${chat.conversationId}:key:k-dead`;
      expect(await bot.stores.dedupe.firstSeen(`turn:${turnId}`, 60_000)).toBe(true);

      const retried = await post(url, chat.token, 'k-dead', 'Wie richte ich das VPN ein?');
      expect(retried.map((r) => r.type)).toContain('answer');
      expect(await post(url, chat.token, 'k-dead', 'Wie richte ich das VPN ein?')).toEqual(retried);
      const conversation = await bot.stores.conversations.get(chat.conversationId);
      expect(conversation?.transcript.filter((l) => l.from === 'customer')).toHaveLength(1);

      // A first attempt killed after writing the conversation, before keeping its answer: the
      // retry gets the answer as the conversation kept it, and the message is not applied twice.
      const lateId = `${chat.conversationId}:key:k-late`;
      expect(await bot.stores.dedupe.firstSeen(`turn:${lateId}`, 60_000)).toBe(true);
      const stored = await bot.stores.conversations.get(chat.conversationId);
      if (!stored) throw new Error('the conversation is stored');
      stored.transcript.push(
        { at: Date.now(), from: 'customer', text: 'Drucker offline', turn: lateId },
        { at: Date.now(), from: 'bot', text: 'Starte den Drucker neu.' },
      );
      expect(await bot.stores.conversations.put(stored)).toBe('written');
      const late = await post(url, chat.token, 'k-late', 'Drucker offline');
      expect(late.map((r) => r.text)).toEqual(['Starte den Drucker neu.']);
      const after = await bot.stores.conversations.get(chat.conversationId);
      expect(after?.transcript.filter((l) => l.turn === lateId)).toHaveLength(1);
    } finally {
      await bot.stop();
    }
  });
});
