import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AssembledBot, assembleBot } from '../../../src/assemble-bot.ts';
import { HelpdeskWebhook } from '../../../src/channels/webhook/helpdesk-webhook.ts';
import { signWebhook, verifyWebhook } from '../../../src/channels/webhook/standard-webhook-signature.ts';
import { readWebhookEndpoints } from '../../../src/config/webhook-endpoints.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { loadCustomersConfig } from '../../../src/handoff/customers-config.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { HelpdeskStandIn } from '../../support/helpdesk-stand-in.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';
import { defaultSupport, defaultUnderstanding, RecordingSink } from '../../unit/transcripts/chat-harness.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
let helpdesk: HelpdeskStandIn;
let bot: AssembledBot | undefined;
let clock: ManualClock;
let turns = 0;

async function startBot(events = '*'): Promise<void> {
  clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0));
  const stores = await createEmbeddedStores({ clock, warn: () => {} });
  const assembled = await assembleBot({
    understanding: await defaultUnderstanding(),
    support: await defaultSupport(),
    customers: await loadCustomersConfig('config/customers.yaml'),
    stores,
    thresholds: shippedThresholds(),
    outbox: { pollMs: 20, baseBackoffMs: 50 },
    clock,
  });
  bot = assembled;
  assembled.delivery.register('web', new RecordingSink());
  const endpoints = readWebhookEndpoints({
    WEBHOOK_URL: helpdesk.url,
    WEBHOOK_SECRET: secret,
    WEBHOOK_EVENTS: events,
  });
  if (!endpoints.ok) throw new Error(JSON.stringify(endpoints.problems));
  for (const endpoint of endpoints.endpoints) {
    assembled.outbox.ticketEvents.subscribe(new HelpdeskWebhook(endpoint, clock), endpoint.name);
  }
  await assembled.start();
}

function turn(text: string | undefined, action?: Turn['action']): Turn {
  return {
    id: `w${++turns}`,
    conversation: { channel: 'web', conversationId: 'web:helpdesk-1', address: {} },
    customer: { id: 'slack:T0MUSTER:U9', name: 'Anna' },
    text,
    action,
    receivedAt: clock.now(),
  };
}

async function openTicket(): Promise<string> {
  await running().engine.handle(turn('ich möchte mit einem Menschen sprechen'));
  const replies = await running().engine.handle(
    turn(undefined, {
      type: 'submit-form',
      label: 'Senden',
      values: {
        summary: 'Drucker im 2. OG druckt nicht',
        system: 'Drucker',
        error: '',
        since: 'heute',
        impact: 'team',
        urgency: 'hinders',
        contact: 'anna@muster-bau.example',
      },
    }),
  );
  const ticket = replies.find((r) => r.type === 'ticket');
  if (ticket?.type !== 'ticket') throw new Error('no ticket');
  return ticket.ticket.id;
}

beforeEach(async () => {
  helpdesk = new HelpdeskStandIn(secret);
  await helpdesk.start();
});

afterEach(async () => {
  await bot?.stop();
  await bot?.stores.close();
  bot = undefined;
  await helpdesk.stop();
});

function running(): AssembledBot {
  if (!bot) throw new Error('bot not started');
  return bot;
}

describe('helpdesk webhooks (Standard Webhooks, through the outbox)', () => {
  it('signs as the specification’s example does', () => {
    // The example of the Standard Webhooks specification's reference libraries.
    const exampleSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(signWebhook(exampleSecret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
    expect(
      verifyWebhook(
        exampleSecret,
        {
          id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
          timestamp: '1614265330',
          signature: 'v1,wrong v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
        },
        body,
      ),
    ).toBe(true);
  });

  it('posts each ticket event once, in order, signed, with the ticket as data', async () => {
    await startBot();
    const id = await openTicket();
    await running().agentDesk.claim(id, 'agent-ole');
    await running().agentDesk.reply(id, 'agent-ole', 'Ich schaue mir den Drucker an.');
    await running().agentDesk.reply(id, 'agent-ole', 'note: Toner leer');
    await running().agentDesk.resolve(id, 'agent-ole');
    await helpdesk.waitForAccepted(4);
    await running().outbox.idle();
    const calls = helpdesk.accepted();
    expect(calls.map((c) => c.type)).toEqual([
      'ticket.created',
      'ticket.claimed',
      'ticket.replied',
      'ticket.resolved',
    ]);
    expect(calls.every((c) => c.valid && c.ticketId === id)).toBe(true);
    expect(new Set(calls.map((c) => c.id)).size).toBe(4);
    const created = JSON.parse(calls[0]?.body ?? '{}');
    expect(created).toMatchObject({
      type: 'ticket.created',
      timestamp: '2026-11-02T09:00:00.000Z',
      data: { id, organisation: 'muster-bau', summary: 'Drucker im 2. OG druckt nicht', status: 'queued' },
    });
    expect(JSON.parse(calls[2]?.body ?? '{}').data.event.text).toBe('Ich schaue mir den Drucker an.');
    expect(Number(calls[0]?.timestamp)).toBe(Math.floor(clock.now() / 1000));
  });

  it('retries a failed call with the same webhook-id, and holds the ticket’s later events back until then', async () => {
    await startBot();
    helpdesk.failNext = 2;
    const id = await openTicket();
    await running().agentDesk.claim(id, 'agent-ole');
    // The outbox's backoff runs on the bot's clock: time passes until the helpdesk has both.
    const ticking = setInterval(() => clock.advance(1_000), 20);
    try {
      await helpdesk.waitForAccepted(2);
    } finally {
      clearInterval(ticking);
    }
    const types = helpdesk.calls.map((c) => `${c.type}:${c.status}`);
    expect(types).toEqual([
      'ticket.created:500',
      'ticket.created:500',
      'ticket.created:204',
      'ticket.claimed:204',
    ]);
    const ids = helpdesk.calls.slice(0, 3).map((c) => c.id);
    expect(new Set(ids).size).toBe(1);
    expect(helpdesk.calls.every((c) => c.valid)).toBe(true);
  });

  it('posts ticket.reopened once when the customer reopens within the grace period, and when an agent does', async () => {
    await startBot('ticket.resolved,ticket.reopened');
    const id = await openTicket();
    await running().agentDesk.claim(id, 'agent-ole');
    await running().agentDesk.resolve(id, 'agent-ole');
    clock.advance(2 * 3_600_000);
    // Right after the resolution, "still not working" reopens it; the words go onto the ticket.
    const replies = await running().engine.handle(turn('Der Drucker druckt immer noch nicht.'));
    expect(replies.map((r) => r.text).join(' ')).toContain(`${id} ist wieder geöffnet`);
    let ticket = await running().stores.tickets.get(id);
    expect(ticket?.status).toBe('queued');
    expect([ticket?.assignee, ticket?.resolvedAt, ticket?.closedReason]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(ticket?.events.at(-1)).toMatchObject({
      type: 'customer-message',
      text: 'Der Drucker druckt immer noch nicht.',
    });
    expect(await running().stores.queues.list(ticket?.queue ?? '')).toContain(id);
    // The conversation waits for the ticket again: the next message goes onto it too.
    await running().engine.handle(turn('Fehlercode E-42'));
    ticket = await running().stores.tickets.get(id);
    expect(ticket?.events.at(-1)).toMatchObject({ type: 'customer-message', text: 'Fehlercode E-42' });

    await running().agentDesk.claim(id, 'agent-ole');
    await running().agentDesk.resolve(id, 'agent-ole');
    const reopened = await running().agentDesk.reopen(id, 'agent-ida', 'Kunde hat angerufen');
    expect(reopened.ok).toBe(true);
    await helpdesk.waitForAccepted(4);
    await running().outbox.idle();
    const calls = helpdesk.accepted();
    expect(calls.map((c) => c.type)).toEqual([
      'ticket.resolved',
      'ticket.reopened',
      'ticket.resolved',
      'ticket.reopened',
    ]);
    expect(calls.every((c) => c.valid && c.ticketId === id)).toBe(true);
    expect(JSON.parse(calls[1]?.body ?? '{}').data).toMatchObject({
      id,
      status: 'queued',
      event: { type: 'reopened', by: 'Anna' },
    });
    expect(JSON.parse(calls[3]?.body ?? '{}').data.event).toMatchObject({
      by: 'agent-ida',
      text: 'Kunde hat angerufen',
    });
  });

  it('refuses to reopen after the grace period, an open ticket, or one the customer does not own', async () => {
    await startBot('ticket.reopened');
    const id = await openTicket();
    await running().agentDesk.claim(id, 'agent-ole');
    expect(await running().agentDesk.reopen(id, 'agent-ole')).toMatchObject({
      ok: false,
      code: 'not_allowed',
    });
    await running().agentDesk.resolve(id, 'agent-ole');
    // The resolution notice offers the reopen button beside the ratings.
    const stranger = await running().engine.handle({
      ...turn(undefined, { type: 'reopen', ticketId: id, label: 'Wieder öffnen' }),
      conversation: { channel: 'web', conversationId: 'web:someone-else', address: {} },
      customer: { id: 'web:someone-else' },
    });
    expect(stranger.map((r) => r.text).join(' ')).toContain('nicht mehr aktuell');
    clock.advance(73 * 3_600_000);
    const late = await running().engine.handle(
      turn(undefined, { type: 'reopen', ticketId: id, label: 'Wieder öffnen' }),
    );
    expect(late.map((r) => r.text).join(' ')).toContain('vor mehr als 72 Stunden');
    expect((await running().stores.tickets.get(id))?.status).toBe('resolved');
    await running().outbox.idle();
    expect(helpdesk.accepted()).toEqual([]);
  });

  it('sends an endpoint only the event types it asked for', async () => {
    await startBot('ticket.created,ticket.resolved');
    const id = await openTicket();
    await running().agentDesk.claim(id, 'agent-ole');
    await running().agentDesk.resolve(id, 'agent-ole');
    await helpdesk.waitForAccepted(2);
    await running().outbox.idle();
    expect(helpdesk.accepted().map((c) => c.type)).toEqual(['ticket.created', 'ticket.resolved']);
  });
});

describe('webhook settings', () => {
  it('lists every problem of WEBHOOK_URL, WEBHOOK_SECRET and WEBHOOK_EVENTS', () => {
    const result = readWebhookEndpoints({
      WEBHOOK_URL: 'https://a.example/h ftp://b.example/h',
      WEBHOOK_SECRET: 'secret1 whsec_abc= whsec_x',
      WEBHOOK_EVENTS: 'ticket.created,ticket.exploded',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'WEBHOOK_URL: endpoint 2: not an http(s) URL',
      'WEBHOOK_SECRET: give one secret, or one per endpoint (2)',
      'WEBHOOK_SECRET: secret 1: use whsec_ followed by base64',
      'WEBHOOK_EVENTS: unknown event "ticket.exploded" (known: ticket.created, ticket.claimed, ticket.replied, ticket.escalated, ticket.resolved, ticket.reopened, ticket.time-recorded, ticket.personal-data-erased, contract.balance-low, contract.balance-exhausted)',
    ]);
  });
});
