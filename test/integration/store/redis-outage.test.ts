import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Conversation } from '../../../src/core/conversation.ts';
import { transition } from '../../../src/core/owner-transition.ts';
import type { Stores } from '../../../src/core/ports.ts';
import { createFailoverStores } from '../../../src/store/failover/failover-stores.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { freePort, startRedisServer, stopRedisServer } from '../../support/redis-server.ts';
import { sampleConversation, sampleTicket } from '../../support/store-samples.ts';

// A Redis of its own: this test stops and restarts it.
let port: number;
let server: ChildProcess;
let url: string;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-outage-'));
const warnings: string[] = [];
const options = () => ({
  url,
  prefix: 'outage:',
  dataDir: root,
  drainIntervalMs: 50,
  warn: (m: string) => warnings.push(m),
});

/** One of two processes on one Redis: its own spool, written back every `drainIntervalMs`. */
const processOptions = (prefix: string, name: string, drainIntervalMs = 50) => ({
  ...options(),
  prefix,
  dataDir: path.join(root, name),
  drainIntervalMs,
});

/** As production runs it: what Redis acknowledged survives its restart (AOF, fsync always). */
const aofArgs = () => [
  '--appendonly',
  'yes',
  '--appendfsync',
  'always',
  '--dir',
  fs.mkdtempSync(path.join(root, 'aof-')),
];

beforeAll(async () => {
  port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  server = await startRedisServer(port);
});

afterAll(async () => {
  await stopRedisServer(server);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('when Redis goes away', () => {
  it('keeps working from local state, spools what must not be lost, and writes it when Redis is back', async () => {
    const stores = await createFailoverStores(options());
    const before = await stores.tickets.nextId();
    expect(before).toBe('SUP-1001');
    expect(stores.health().status).toBe('ok');

    await stopRedisServer(server, 'SIGKILL');
    await vi.waitFor(() => expect(stores.health().status).toBe('degraded'));

    // The bot's turn path: de-duplication, conversation state, counters.
    expect(await stores.dedupe.firstSeen('turn:1', 60_000)).toBe(true);
    expect(await stores.dedupe.firstSeen('turn:1', 60_000)).toBe(false);
    const conversation = sampleConversation('web:during-outage', Date.now(), { owner: 'queued' });
    await stores.conversations.put(conversation);
    expect(await stores.conversations.get('web:during-outage')).toEqual(conversation);
    await stores.counters.increment('turns', '2025-03-03', 2);

    // A hand-off: a reserved ticket number, the ticket, its queue entry, its event.
    const id = await stores.tickets.nextId();
    expect(id).toBe('SUP-1002');
    const ticket = sampleTicket(id, Date.now());
    await stores.tickets.create(ticket);
    await stores.queues.enqueue('general', id);
    await stores.outbox.add([
      { id: `card:${id}`, lane: 'slack:CAGENTS', kind: 'card', payload: { ticketId: id } },
    ]);
    await stores.tickets.update(id, (t) => ({ ...t, priority: 'P1' }));
    expect((await stores.tickets.get(id))?.priority).toBe('P1');
    expect((await stores.tickets.list()).map((t) => t.id)).toContain(id);
    expect(stores.health().detail).toMatch(/spooled/);
    // An erasure now could miss what is spooled: it is refused with a clear answer, to be tried later.
    await expect(
      stores.personalData.erase({ conversationIds: ['web:during-outage'], ticketIds: [id] }),
    ).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringMatching(/Try again/) });

    // A restart while Redis is still away: the spool is on disk and the new process starts degraded.
    await stores.close();
    const restarted = await createFailoverStores(options());
    expect(restarted.health().status).toBe('degraded');
    expect((await restarted.tickets.get(id))?.priority).toBe('P1');
    expect(warnings.some((w) => /wait for Redis/.test(w))).toBe(true);

    server = await startRedisServer(port);
    await vi.waitFor(() => expect(restarted.health().status).toBe('ok'), { timeout: 10_000 });

    const direct = await createRedisStores({ url, prefix: 'outage:' });
    try {
      expect((await direct.tickets.get(id))?.priority).toBe('P1');
      expect(await direct.queues.list('general')).toEqual([id]);
      expect(await direct.counters.get('2025-03-03')).toEqual({ turns: 2 });
      expect(await direct.conversations.get('web:during-outage')).toEqual(conversation);
      const waiting = await direct.outbox.take('check', 5, 60_000);
      expect(waiting.map((item) => (item.payload as { ticketId: string }).ticketId)).toEqual([id]);
      // New numbers continue above the reserve, never repeating one.
      const next = await restarted.tickets.nextId();
      expect(Number(next.slice(4))).toBeGreaterThan(1002);
    } finally {
      await direct.close();
      await restarted.close();
    }
  });

  it('starts degraded when Redis is not there at all, and recovers', async () => {
    await stopRedisServer(server);
    const stores: Stores = await createFailoverStores({ ...options(), dataDir: path.join(root, 'cold') });
    try {
      expect(stores.health().status).toBe('degraded');
      await stores.counters.increment('turns', '2025-03-04');
      server = await startRedisServer(port);
      await vi.waitFor(() => expect(stores.health().status).toBe('ok'), { timeout: 10_000 });
      expect(await stores.counters.get('2025-03-04')).toEqual({ turns: 1 });
    } finally {
      await stores.close();
    }
  });
});

describe('two processes while one still writes what it spooled', () => {
  it('write a conversation the spool holds nothing of to Redis at once, so the other process sees it', async () => {
    // `a` writes its spool back slowly (a long spool under load), `b` has none.
    const a = await createFailoverStores(processOptions('outage-conv:', 'a', 60_000));
    const b = await createFailoverStores(processOptions('outage-conv:', 'b'));
    try {
      await stopRedisServer(server, 'SIGKILL');
      await vi.waitFor(() => expect(a.health().status).toBe('degraded'));
      await a.counters.increment('turns', '2026-12-07', 1);
      server = await startRedisServer(port);
      await vi.waitFor(() => expect(b.health().status).toBe('ok'), { timeout: 10_000 });

      // A customer's conversation alternates between the processes (a load balancer).
      const first = sampleConversation('web:alternating', Date.now());
      expect(await b.conversations.put(first)).toBe('written');
      const readByA = await vi.waitFor(async () => {
        const found = await a.conversations.get('web:alternating');
        expect(found?.revision).toBe(first.revision);
        return found;
      });
      if (!readByA) throw new Error('unreachable');
      expect(a.health().detail).toMatch(/spooled/);
      readByA.transcript.push({ from: 'customer', text: 'zweite Nachricht', at: Date.now() });
      expect(await a.conversations.put(readByA)).toBe('written');

      // The next message reaches b: it reads a's turn, and a stale write is a conflict it can re-run.
      const readByB = await b.conversations.get('web:alternating');
      expect(readByB?.transcript.map((l) => l.text)).toContain('zweite Nachricht');
      expect(await b.conversations.put(structuredClone(first))).toBe('conflict');
    } finally {
      await a.close();
      await b.close();
    }
    expect(warnings.filter((w) => /changed elsewhere/.test(w))).toEqual([]);
  });
});

describe('two processes that both took a turn of one conversation while Redis was away', () => {
  it("keep both turns' lines: the refused spooled change adds its lines to the stored conversation", async () => {
    const aof = aofArgs();
    await stopRedisServer(server);
    server = await startRedisServer(port, aof);
    const a = await createFailoverStores(processOptions('outage-both:', 'both-a'));
    const b = await createFailoverStores(processOptions('outage-both:', 'both-b'));
    const at = Date.now();
    try {
      expect(await a.conversations.put(sampleConversation('web:both', at))).toBe('written');
      const readByA = await a.conversations.get('web:both');
      const readByB = await vi.waitFor(async () => {
        const found = await b.conversations.get('web:both');
        expect(found?.revision).toBe(readByA?.revision);
        return found;
      });
      if (!readByA || !readByB) throw new Error('not stored');
      await stopRedisServer(server, 'SIGKILL');
      await vi.waitFor(() => expect(a.health().status).toBe('degraded'));
      await vi.waitFor(() => expect(b.health().status).toBe('degraded'));
      // The load balancer sent one message to each process.
      readByA.transcript.push({ from: 'customer', text: 'an A geschickt', at: at + 1, turn: 't1' });
      readByA.transcript.push({ from: 'bot', text: 'Antwort von A', at: at + 2 });
      readByB.transcript.push({ from: 'customer', text: 'an B geschickt', at: at + 3, turn: 't2' });
      // A retry of the first message reached B too: the same turn, run there again.
      readByB.transcript.push({ from: 'customer', text: 'an A geschickt', at: at + 4, turn: 't1' });
      expect(await a.conversations.put(readByA)).toBe('written');
      expect(await b.conversations.put(readByB)).toBe('written');
      server = await startRedisServer(port, aof);
      await vi.waitFor(() => expect(a.health().status).toBe('ok'), { timeout: 10_000 });
      await vi.waitFor(() => expect(b.health().status).toBe('ok'), { timeout: 10_000 });
      const stored = await vi.waitFor(async () => {
        const found = await a.conversations.get('web:both');
        expect(found?.transcript.length).toBeGreaterThanOrEqual(4);
        return found;
      });
      // Every line once, the turn that ran in both processes too, whichever change was written first.
      expect(stored?.transcript.map((l) => l.text).sort()).toEqual([
        'Antwort von A',
        'Mein VPN verbindet sich nicht.',
        'an A geschickt',
        'an B geschickt',
      ]);
    } finally {
      await a.close();
      await b.close();
    }
    expect(warnings.filter((w) => /changed elsewhere/.test(w)).at(-1)).toMatch(
      /line\(s\) of the spooled change were added/,
    );
  });
});

describe('a refused spooled change that opened a ticket or started an intake', () => {
  it('carries the ticket and the intake over to the stored conversation, through the state machine', async () => {
    const aof = aofArgs();
    await stopRedisServer(server);
    server = await startRedisServer(port, aof);
    // A writes back what it spooled only when closed, so B's changes are the ones that stand.
    const a = await createFailoverStores(processOptions('outage-state:', 'state-a', 600_000));
    const b = await createFailoverStores(processOptions('outage-state:', 'state-b'));
    const at = Date.now();
    let aClosed = false;
    try {
      const read: Record<string, { a: Conversation; b: Conversation }> = {};
      for (const id of ['web:handoff', 'web:intake']) {
        expect(await b.conversations.put(sampleConversation(id, at))).toBe('written');
        const byA = await a.conversations.get(id);
        const byB = await b.conversations.get(id);
        if (!byA || !byB) throw new Error('not stored');
        read[id] = { a: byA, b: byB };
      }
      const handoff = read['web:handoff'];
      const intakeTurn = read['web:intake'];
      if (!handoff || !intakeTurn) throw new Error('not read');
      const ticketId = await a.tickets.nextId();
      await stopRedisServer(server, 'SIGKILL');
      await vi.waitFor(() => expect(a.health().status).toBe('degraded'));
      await vi.waitFor(() => expect(b.health().status).toBe('degraded'));

      // A's turn finished an intake: the ticket is created and the conversation waits for it.
      await a.tickets.create(sampleTicket(ticketId, at + 1, { conversation: handoff.a.ref }));
      handoff.a.transcript.push({ from: 'customer', text: 'ja, so abschicken', at: at + 1, turn: 'h1' });
      handoff.a.transcript.push({ from: 'bot', text: `Ticket ${ticketId} ist angelegt.`, at: at + 2 });
      expect(await a.conversations.put(waitingFor(handoff.a, ticketId))).toBe('written');
      // B answered the customer's next message from the FAQ, not knowing of the ticket.
      handoff.b.transcript.push({ from: 'customer', text: 'und der Drucker?', at: at + 3, turn: 'h2' });
      handoff.b.transcript.push({ from: 'bot', text: 'So richten Sie den Drucker ein …', at: at + 4 });
      expect(await b.conversations.put(handoff.b)).toBe('written');

      // B answered first; A's later turn started an intake, whose question the customer saw last.
      intakeTurn.b.transcript.push({ from: 'customer', text: 'VPN?', at: at + 1, turn: 'i1' });
      intakeTurn.b.transcript.push({ from: 'bot', text: 'So verbinden Sie das VPN …', at: at + 2 });
      expect(await b.conversations.put(intakeTurn.b)).toBe('written');
      intakeTurn.a.transcript.push({ from: 'customer', text: 'hilft nicht', at: at + 3, turn: 'i2' });
      intakeTurn.a.transcript.push({ from: 'bot', text: 'Seit wann tritt das auf?', at: at + 4 });
      expect(await a.conversations.put(inIntake(intakeTurn.a))).toBe('written');

      server = await startRedisServer(port, aof);
      await vi.waitFor(() => expect(b.health().status).toBe('ok'), { timeout: 10_000 });
      await vi.waitFor(() => expect(a.health().detail).toMatch(/redis back/), { timeout: 10_000 });
      await a.close();
      aClosed = true;

      const stored = await b.conversations.get('web:handoff');
      expect(stored).toMatchObject({ owner: 'queued', ticketId });
      expect(stored?.transcript.map((l) => l.text)).toEqual([
        'Mein VPN verbindet sich nicht.',
        'ja, so abschicken',
        `Ticket ${ticketId} ist angelegt.`,
        'und der Drucker?',
        'So richten Sie den Drucker ein …',
      ]);
      expect((await b.tickets.get(ticketId))?.status).toBe('queued');
      const asking = await b.conversations.get('web:intake');
      expect(asking).toMatchObject({ owner: 'intake', intake: { asking: 'since' } });
      expect(asking?.transcript).toHaveLength(5);
    } finally {
      if (!aClosed) await a.close();
      await b.close();
    }
    expect(warnings.some((w) => /now waits for ticket /.test(w))).toBe(true);
    expect(warnings.some((w) => /the intake the spooled change started goes on/.test(w))).toBe(true);
  });
});

/** A's turns as the engine leaves them (the owner is the state machine's to set). */
function waitingFor(conversation: Conversation, ticketId: string): Conversation {
  const intake = { queue: 'general', values: {}, skipped: [], billable: false, attempts: 0 };
  return transition(transition(conversation, { type: 'intake-started', intake }), {
    type: 'ticket-opened',
    ticketId,
    taken: false,
  });
}

function inIntake(conversation: Conversation): Conversation {
  const intake = { queue: 'general', asking: 'since', values: {}, skipped: [], billable: false, attempts: 0 };
  return transition(conversation, { type: 'intake-started', intake });
}
