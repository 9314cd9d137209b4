import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssembledBot, assembleBot } from '../../../src/assemble-bot.ts';
import type { Stores } from '../../../src/core/ports.ts';
import type { Ticket } from '../../../src/core/ticket.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { loadSupportConfig } from '../../../src/handoff/support-config.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { PRINTER_FORM_SUBMISSION } from '../../support/intake-form.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';

/**
 * Two bot processes on one Redis, each with its own stores, engine and agent desk (their locks
 * are per process). Process A's read of one conversation can be held at a gate, so a customer turn
 * in A and an agent action in B interleave exactly as they can in production.
 */
const prefix = uniqueRedisPrefix('conflicts');
const bots: AssembledBot[] = [];
let gate: { ticketId: string; read: () => void; release: Promise<void> } | undefined;

/** A's reads of one ticket can be held after they return, by arming `gate`. */
function gatedReads(real: Stores): Stores {
  return {
    ...real,
    tickets: {
      ...real.tickets,
      nextId: () => real.tickets.nextId(),
      create: (ticket) => real.tickets.create(ticket),
      update: (id, change) => real.tickets.update(id, change),
      list: (filter) => real.tickets.list(filter),
      async get(id): Promise<Ticket | undefined> {
        const ticket = await real.tickets.get(id);
        const held = gate;
        if (held?.ticketId === id) {
          gate = undefined;
          held.read();
          await held.release;
        }
        return ticket;
      },
    },
  };
}

async function processBot(understanding: Understanding, gated: boolean): Promise<AssembledBot> {
  const stores = await createRedisStores({ url: redisTestUrl(), prefix });
  const bot = await assembleBot({
    understanding,
    support: await loadSupportConfig('config/support.yaml'),
    stores: gated ? gatedReads(stores) : stores,
    thresholds: shippedThresholds(),
    knowledgePollMs: 0,
  });
  await bot.start();
  bots.push(bot);
  return bot;
}

const turn = (n: number, text: string): Turn => ({
  id: `conflict-${n}`,
  conversation: { channel: 'web', conversationId: 'web:conflict', address: {} },
  customer: { id: 'web:conflict' },
  text,
  receivedAt: Date.now(),
});

let a: AssembledBot;
let b: AssembledBot;

beforeAll(async () => {
  const understanding = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
  a = await processBot(understanding, true);
  b = await processBot(understanding, false);
}, 60_000);

afterAll(async () => {
  for (const bot of bots) {
    await bot.stop();
    await bot.stores.close();
  }
  await deleteRedisKeys(redisTestUrl(), prefix);
});

describe('a customer turn and an agent action on one conversation, in two processes', () => {
  it("the agent's claim stands: the customer's turn runs again on it instead of reverting it to queued", async () => {
    await a.engine.handle(turn(1, 'Ich möchte mit einem Menschen sprechen'));
    const ticket = await a.engine.handle({
      ...turn(2, ''),
      text: undefined,
      action: PRINTER_FORM_SUBMISSION,
    });
    const ticketId = ticket.find((r) => r.type === 'ticket')?.ticket?.id ?? '';
    expect(ticketId).toMatch(/^SUP-/);

    // A's turn has read the conversation and its ticket (both still queued) and is held there.
    let read = (): void => undefined;
    let release = (): void => undefined;
    const hasRead = new Promise<void>((resolve) => {
      read = resolve;
    });
    gate = { ticketId, read, release: new Promise((resolve) => (release = resolve)) };
    const customerTurn = a.engine.handle(turn(3, 'Es betrifft auch den Scanner im zweiten Stock'));
    await hasRead;

    // Meanwhile the agent claims through B.
    const claimed = await b.agentDesk.claim(ticketId, 'Dana');
    expect(claimed.ok).toBe(true);
    release();
    const replies = await customerTurn;

    const stored = await b.stores.conversations.get('web:conflict');
    expect(stored?.owner).toBe('agent');
    // A person owns the conversation now: the bot says nothing, the message reaches the ticket once.
    expect(replies).toEqual([]);
    const messages = (await b.stores.tickets.get(ticketId))?.events.filter(
      (e) => e.type === 'customer-message',
    );
    expect(messages?.map((e) => e.text)).toEqual(['Es betrifft auch den Scanner im zweiten Stock']);
  });
});
