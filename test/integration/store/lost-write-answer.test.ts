import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssembledBot, assembleBot } from '../../../src/assemble-bot.ts';
import type { Conversation } from '../../../src/core/conversation.ts';
import type { Stores } from '../../../src/core/ports.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { loadSupportConfig } from '../../../src/handoff/support-config.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { PRINTER_FORM_SUBMISSION } from '../../support/intake-form.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';

/**
 * When Redis restarts while a conversation's write is on the wire, the write can land and its
 * answer get lost; the client then sends the write again (ioredis resends what was unanswered
 * after it reconnects), and that second copy finds the revision moved by the first: a conflict.
 * Here the network's part is played by sending each armed write twice, as the client does.
 */
const prefix = uniqueRedisPrefix('lost-answer');
let bot: AssembledBot;
let resendNext = false;

/** The real Redis stores, whose next conversation write (when armed) is sent a second time. */
function resendingWrites(real: Stores): Stores {
  return {
    ...real,
    conversations: {
      get: (id) => real.conversations.get(id),
      delete: (id) => real.conversations.delete(id),
      async put(conversation: Conversation) {
        if (!resendNext) return real.conversations.put(conversation);
        resendNext = false;
        const resent = structuredClone(conversation);
        await real.conversations.put(conversation);
        return real.conversations.put(resent);
      },
    },
  };
}

const turn = (n: number, text: string | undefined, replay = false, conversationId = 'slack:T1:D1'): Turn => ({
  id: `lost-answer-${n}`,
  conversation: { channel: 'slack', conversationId, address: {} },
  customer: { id: `${conversationId}:customer` },
  ...(text === undefined ? {} : { text }),
  receivedAt: Date.now(),
  ...(replay ? { replay: true } : {}),
});

beforeAll(async () => {
  const understanding = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
  const stores = await createRedisStores({ url: redisTestUrl(), prefix });
  bot = await assembleBot({
    understanding,
    support: await loadSupportConfig('config/support.yaml'),
    stores: resendingWrites(stores),
    thresholds: shippedThresholds(),
    knowledgePollMs: 0,
  });
}, 60_000);

afterAll(async () => {
  await bot.stop();
  await bot.stores.close();
  await deleteRedisKeys(redisTestUrl(), prefix);
});

describe('a conversation write that landed but whose answer was lost', () => {
  it('still answers the customer, once, with the replies the write carried', async () => {
    const before = await bot.engine.handle(turn(1, 'Mein Drucker druckt nur leere Seiten'));
    expect(before.length).toBeGreaterThan(0);

    resendNext = true;
    const replies = await bot.engine.handle(turn(2, 'Ich habe mein Passwort vergessen', true));
    expect(resendNext).toBe(false);
    expect(replies.length).toBeGreaterThan(0);
    const [answer] = replies;
    expect(answer?.type === 'answer' && answer.entryId).toBe('password-reset');
    // The buttons too: the replies themselves, not their text as the transcript kept it.
    expect(replies[0]?.actions.length).toBeGreaterThan(0);

    // Applied once: the customer's line and the answer are in the transcript one time each.
    const stored = await bot.stores.conversations.get('slack:T1:D1');
    expect(stored?.transcript.filter((line) => line.turn === 'lost-answer-2')).toHaveLength(1);
    expect(stored?.transcript.filter((line) => line.text === replies[0]?.text)).toHaveLength(1);

    // A repeat of the event (kept in the inbox, run again) gets the same answer, remembered.
    const repeated = await bot.engine.handle(turn(2, 'Ich habe mein Passwort vergessen', true));
    expect(repeated.map((r) => r.text)).toEqual(replies.map((r) => r.text));
  });

  it('finishes a hand-off whose ticket reservation landed but whose answer was lost: one ticket, and the customer told', async () => {
    const conversationId = 'slack:T1:D2';
    await bot.engine.handle(turn(10, 'Ich möchte mit einem Menschen sprechen', true, conversationId));
    // The form's submission reserves the ticket id in the conversation first: that write is resent.
    resendNext = true;
    const replies = await bot.engine.handle({
      ...turn(11, undefined, true, conversationId),
      action: PRINTER_FORM_SUBMISSION,
    });
    expect(resendNext).toBe(false);
    const told = replies.find((r) => r.type === 'ticket');
    expect(told?.ticket?.id).toMatch(/^SUP-/);
    const tickets = (await bot.stores.tickets.list()).filter(
      (t) => t.conversation.conversationId === conversationId,
    );
    expect(tickets.map((t) => t.id)).toEqual([told?.ticket?.id]);
    expect((await bot.stores.conversations.get(conversationId))?.owner).toBe('queued');
  });
});
