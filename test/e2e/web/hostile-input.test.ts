import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Turn } from '../../../src/core/turn.ts';
import { conversationSchema } from '../../../src/store/record-schemas.ts';
import {
  deeplyNested,
  expectSafeReplies,
  hostileAction,
  hostileJson,
  hostileText,
  isApology,
} from '../../support/hostile-input.ts';
import { openWebChat } from '../../support/web-chats.ts';
import { startWebFixture, type WebFixture } from './web-fixture.ts';

// The bot as `npm start` builds it; fast-check sends what attackers and broken clients send.
let fx: WebFixture;
const ran = { web: 0, engine: 0 };

beforeAll(async () => {
  fx = await startWebFixture();
});

afterAll(async () => {
  await fx?.close();
  // How many inputs ran, for the record (SECURITY.md quotes these).
  process.stdout.write(`hostile input: ${ran.web} web requests, ${ran.engine} engine turns\n`);
});

/** What is stored of a conversation is a valid record with well-formed text. */
async function expectSoundConversation(conversationId: string): Promise<void> {
  const stored = await fx.bot.stores.conversations.get(conversationId);
  if (!stored) return;
  expect(conversationSchema.safeParse(stored).success).toBe(true);
  for (const line of stored.transcript) {
    // Well-formed UTF-16: no half surrogate pair (encodeURIComponent throws on one).
    expect(() => encodeURIComponent(line.text), JSON.stringify(line.text)).not.toThrow();
    // No control or bidi-override characters from the customer reach agents' views.
    if (line.from === 'customer') expect(line.text).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
  }
}

describe('hostile input through the web chat API', () => {
  it('answers any body with a clear 4xx or safe replies, never a 5xx, and stores nothing broken', async () => {
    const chat = await openWebChat(fx.url);
    const post = (body: string, type = 'application/json') =>
      fetch(`${fx.url}/api/conversations/${chat.id}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': type, Authorization: `Bearer ${chat.token}` },
        body,
      });
    await fc.assert(
      fc.asyncProperty(hostileJson, async (body) => {
        ran.web += 1;
        const response = await post(JSON.stringify(body));
        expect([200, 400, 413, 429]).toContain(response.status);
        const answer = (await response.json()) as { replies?: unknown; error?: { code: string } };
        if (response.status === 200) {
          expectSafeReplies(answer.replies);
          expect(answer.replies.some(isApology)).toBe(false);
        } else {
          expect(typeof answer.error?.code).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
    for (const raw of [deeplyNested(100_000), '{"text": "\\ud800"}', '\u0000', '{"text":"a"'.repeat(1000)]) {
      ran.web += 1;
      const response = await post(raw);
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(500);
    }
    await expectSoundConversation(chat.conversationId);
    expect((await fetch(`${fx.url}/healthz`)).status).toBe(200);
  });
});

describe('hostile input through the engine', () => {
  let n = 0;
  const step = fc.oneof(
    hostileText.map((text) => ({ text })),
    hostileAction.map((action) => ({ action })),
  );

  it('runs any sequence of texts and actions to safe replies, with no failed turn and a sound record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const conversationId = `web:hostile-${++n}`;
        for (const [i, input] of steps.entries()) {
          ran.engine += 1;
          const turn: Turn = {
            id: `${conversationId}:${i}`,
            conversation: { channel: 'web', conversationId, address: {} },
            customer: { id: conversationId },
            receivedAt: Date.now(),
            ...input,
          };
          const replies = await fx.bot.engine.handle(turn);
          expectSafeReplies(replies);
          expect(replies.some(isApology), JSON.stringify({ input, replies })).toBe(false);
        }
        await expectSoundConversation(conversationId);
      }),
      { numRuns: 250 },
    );
  });
});
