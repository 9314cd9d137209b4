import { describe, expect, it, vi } from 'vitest';
import { DM, TEAM, useSlackFixture } from './slack-fixture.ts';

/**
 * Slack never sends an acknowledged event again, and Bolt acknowledges Events API events before
 * any listener runs. So the bot keeps each event in the outbox before it answers 200, and handles
 * it from there: a process that dies between the acknowledgement and the answer loses nothing.
 */
describe('Slack events kept before they are acknowledged', () => {
  const fx = useSlackFixture();

  it('keeps an acknowledged event while no process handles it, and answers it once one does', async () => {
    // This process stops working the outbox: as if it died right after the acknowledgement.
    await fx.bot.outbox.stop();
    try {
      await fx.dm('Ich habe mein Passwort vergessen');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fx.posted(DM)).toEqual([]);
      expect((await fx.bot.stores.outbox.size()).items).toBe(1);
    } finally {
      // The process that takes the work over (here: the pump started again).
      fx.bot.outbox.start();
    }
    await fx.settle();
    const answers = fx.posted(DM);
    expect(answers).toHaveLength(1);
    expect(JSON.stringify(answers[0]?.blocks)).toContain('Passwort');
    expect((await fx.bot.stores.outbox.size()).items).toBe(0);
  });

  it('runs an event again whose first run was taken by a process that died, and answers it once', async () => {
    await fx.bot.outbox.stop();
    try {
      const ts = await fx.dm('Wie richte ich das VPN ein?');
      // A process takes the event, starts its turn (the turn id is marked seen) and dies before
      // writing the conversation: its lease runs out.
      const [taken] = await fx.bot.stores.outbox.take('died-after-taking', 1, 500);
      expect(taken?.kind).toBe('inbound:slack');
      expect(await fx.bot.stores.dedupe.firstSeen(`turn:slack:${TEAM}:${DM}:${ts}`, 60_000)).toBe(true);
      fx.clock.advance(1_000);
    } finally {
      fx.bot.outbox.start();
    }
    await fx.settle();
    const answers = fx.posted(DM);
    expect(answers).toHaveLength(1);
    expect(JSON.stringify(answers[0]?.blocks)).toContain('VPN');
  });

  it('runs a kept event again after its handling failed half way, and answers it once', async () => {
    // The turn is applied, then its answer cannot be queued (the store refuses the first try).
    const outbox = fx.bot.stores.outbox;
    const add = outbox.add.bind(outbox);
    let refused = 0;
    outbox.add = async (items) => {
      if (refused === 0 && items.some((item) => item.kind === 'reply')) {
        refused += 1;
        throw new Error('store away for a moment');
      }
      return add(items);
    };
    try {
      await fx.dm('Der Drucker druckt nicht');
      // The failed run goes back to the outbox; its retry is due a second later.
      await vi.waitFor(async () => expect((await outbox.size()).retrying).toBe(1), { timeout: 10_000 });
      expect(refused).toBe(1);
      fx.clock.advance(2_000);
    } finally {
      outbox.add = add;
    }
    await fx.settle();
    const answers = fx.posted(DM);
    expect(answers).toHaveLength(1);
    expect(JSON.stringify(answers[0]?.blocks)).toContain('Drucker');
    // Applied once: the customer's message is in the conversation once.
    const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:${DM}`);
    expect(conversation?.transcript.filter((line) => line.text === 'Der Drucker druckt nicht')).toHaveLength(
      1,
    );
  });

  it('handles an event Slack sends twice (a retry after a slow acknowledgement) once', async () => {
    const body = fx.eventBody(
      {
        type: 'message',
        channel_type: 'im',
        channel: DM,
        user: 'UCUSTOMER1',
        text: 'I forgot my password',
        ts: fx.nextTs(),
      },
      'EvTwice1',
    );
    expect((await fx.post(body, 'application/json')).status).toBe(200);
    const retry = await fx.post(body, 'application/json', {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await fx.settle();
    expect(fx.posted(DM)).toHaveLength(1);
  });

  it('answers 500 when the event cannot be kept, so Slack sends it again', async () => {
    const outbox = fx.bot.stores.outbox;
    const add = outbox.add.bind(outbox);
    outbox.add = async () => {
      throw new Error('disk full');
    };
    try {
      const body = fx.eventBody({
        type: 'message',
        channel_type: 'im',
        channel: DM,
        user: 'UCUSTOMER1',
        text: 'Drucker druckt nicht',
        ts: fx.nextTs(),
      });
      expect((await fx.post(body, 'application/json')).status).toBe(500);
    } finally {
      outbox.add = add;
    }
    await fx.settle();
    expect(fx.posted(DM)).toEqual([]);
  });
});
