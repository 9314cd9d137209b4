import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/core/conversation.ts';
import type { OutboxItem } from '../../src/core/outbox-port.ts';
import type { Stores } from '../../src/core/ports.ts';
import type { Reply } from '../../src/core/reply.ts';
import { sampleConversation, sampleTicket, TestClock } from '../support/store-samples.ts';
import { describeAdminPortsContract } from './admin-ports-contract.ts';
import { describeAnnouncementContract } from './announcement-contract.ts';
import { describeCoordinationContract } from './coordination-contract.ts';
import { describePersonalDataContract } from './personal-data-contract.ts';

export interface ContractStoreOptions {
  clock: TestClock;
  conversationTtlMs?: number;
  listCap?: number;
}

/** How one implementation is opened for the contract: each call gives a fresh, empty store. */
export interface StoreFixture {
  open(options: ContractStoreOptions): Promise<OpenedStore>;
}

export interface OpenedStore {
  stores: Stores;
  /** Opens the same data again after `stores.close()`, as a restarted process would. */
  reopen?: (() => Promise<Stores>) | undefined;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * One set of tests per port, run unchanged against every implementation. Nothing in here may
 * depend on which implementation it is.
 */
export function describeStoreContract(name: string, fixture: StoreFixture): void {
  describe(`store contract: ${name}`, () => {
    const opened: Stores[] = [];
    let clock: TestClock;

    async function open(options: Omit<ContractStoreOptions, 'clock'> = {}): Promise<Stores> {
      clock = new TestClock();
      const { stores } = await fixture.open({ clock, ...options });
      opened.push(stores);
      return stores;
    }

    afterEach(async () => {
      for (const stores of opened.splice(0)) await stores.close();
    });

    describe('conversations', () => {
      it('returns undefined for an unknown conversation', async () => {
        const { conversations } = await open();
        expect(await conversations.get('web:unknown')).toBeUndefined();
      });

      it('stores, returns, overwrites and deletes a conversation', async () => {
        const { conversations } = await open();
        const first = sampleConversation('web:c1', clock.now());
        await conversations.put(first);
        expect(await conversations.get('web:c1')).toEqual(first);

        const changed = { ...first, owner: 'intake' as const, intake: intakeFor(first) };
        await conversations.put(changed);
        expect((await conversations.get('web:c1'))?.owner).toBe('intake');
        expect((await conversations.get('web:c1'))?.intake?.queue).toBe('network');

        await conversations.delete('web:c1');
        expect(await conversations.get('web:c1')).toBeUndefined();
      });

      it('hands out copies: changing a returned conversation does not change the stored one', async () => {
        const { conversations } = await open();
        const conversation = sampleConversation('web:c2', clock.now());
        await conversations.put(conversation);
        conversation.owner = 'agent';
        const read = await conversations.get('web:c2');
        expect(read?.owner).toBe('bot');
        if (read) read.transcript.push({ at: 1, from: 'bot', text: 'x' });
        expect((await conversations.get('web:c2'))?.transcript).toHaveLength(1);
      });

      it('keeps transcript lines as written: a line changed after the write, or in a read copy, changes nothing', async () => {
        const { conversations } = await open();
        const conversation = sampleConversation('web:lines', clock.now());
        await conversations.put(conversation);
        (conversation.transcript[0] as { text: string }).text = 'changed by the writer';
        const read = (await conversations.get('web:lines')) as NonNullable<
          Awaited<ReturnType<typeof conversations.get>>
        >;
        expect(read.transcript[0]?.text).toBe(
          sampleConversation('web:lines', clock.now()).transcript[0]?.text,
        );
        // Lines a store hands out are frozen: changing one is an error, not a silent change.
        expect(() => {
          (read.transcript[0] as { text: string }).text = 'changed by a reader';
        }).toThrow(TypeError);
        await conversations.put({
          ...read,
          transcript: [...read.transcript, { at: 2, from: 'bot', text: 'neu' }],
        });
        expect((await conversations.get('web:lines'))?.transcript.map((line) => line.text)).toEqual([
          sampleConversation('web:lines', clock.now()).transcript[0]?.text,
          'neu',
        ]);
      });

      it('forgets a conversation after the idle time; each write starts the idle time again', async () => {
        const { conversations } = await open({ conversationTtlMs: 2 * DAY });
        await conversations.put(sampleConversation('web:idle', clock.now()));
        clock.advance(2 * DAY - 1000);
        const read = await conversations.get('web:idle');
        expect(read).toBeDefined();
        await conversations.put(read as Conversation);
        clock.advance(2 * DAY - 1000);
        expect(await conversations.get('web:idle')).toBeDefined();
        clock.advance(1000);
        expect(await conversations.get('web:idle')).toBeUndefined();
      });

      it('writes only over the revision it read: a stale or blind write is a conflict and changes nothing', async () => {
        const { conversations } = await open();
        const first = sampleConversation('web:cas', clock.now());
        expect(first.revision).toBeUndefined();
        expect(await conversations.put(first)).toBe('written');
        const revision = first.revision;
        expect(revision).toEqual(expect.any(String));
        const readOnce = (await conversations.get('web:cas')) as Conversation;
        const readTwice = (await conversations.get('web:cas')) as Conversation;
        expect(readOnce.revision).toBe(revision);
        expect(await conversations.put({ ...readOnce, owner: 'agent', ticketId: 'SUP-1001' })).toBe(
          'written',
        );
        // Read before that write: refused, and the stored conversation keeps the agent.
        expect(await conversations.put({ ...readTwice, owner: 'bot' })).toBe('conflict');
        // A new conversation where one is stored: refused too.
        expect(await conversations.put(sampleConversation('web:cas', clock.now()))).toBe('conflict');
        const stored = (await conversations.get('web:cas')) as Conversation;
        expect(stored.owner).toBe('agent');
        expect(stored.revision).not.toBe(revision);
        // Each written revision is new.
        const again = { ...stored, owner: 'queued' as const };
        expect(await conversations.put(again)).toBe('written');
        expect(new Set([revision, stored.revision, again.revision]).size).toBe(3);
      });

      it('keeps a conversation 30 days by default', async () => {
        const { conversations } = await open();
        await conversations.put(sampleConversation('web:month', clock.now()));
        clock.advance(30 * DAY - 1000);
        expect(await conversations.get('web:month')).toBeDefined();
        clock.advance(1000);
        expect(await conversations.get('web:month')).toBeUndefined();
      });

      it('keeps German umlauts, emoji and long transcripts intact', async () => {
        const { conversations } = await open();
        const text = 'Grüße aus Köln – das Passwort enthält ß und 🙂. '.repeat(200);
        const conversation = sampleConversation('slack:T1:D1', clock.now(), {
          transcript: Array.from({ length: 60 }, (_, i) => ({ at: i, from: 'customer' as const, text })),
        });
        await conversations.put(conversation);
        expect(await conversations.get('slack:T1:D1')).toEqual(conversation);
      });
    });

    describe('dedupe', () => {
      it('says first seen once per key within the ttl, and again after it', async () => {
        const { dedupe } = await open();
        expect(await dedupe.firstSeen('slack:Ev1', 60_000)).toBe(true);
        expect(await dedupe.firstSeen('slack:Ev1', 60_000)).toBe(false);
        expect(await dedupe.firstSeen('slack:Ev2', 60_000)).toBe(true);
        clock.advance(59_000);
        expect(await dedupe.firstSeen('slack:Ev1', 60_000)).toBe(false);
        clock.advance(1_000);
        expect(await dedupe.firstSeen('slack:Ev1', 60_000)).toBe(true);
      });

      it('lets exactly one of many concurrent callers through', async () => {
        const { dedupe } = await open();
        const results = await Promise.all(
          Array.from({ length: 50 }, () => dedupe.firstSeen('teams:a1', 10_000)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('tickets', () => {
      it('numbers tickets SUP-1001, SUP-1002, … without repeats, also concurrently', async () => {
        const { tickets } = await open();
        expect(await tickets.nextId()).toBe('SUP-1001');
        expect(await tickets.nextId()).toBe('SUP-1002');
        const many = await Promise.all(Array.from({ length: 100 }, () => tickets.nextId()));
        expect(new Set(many).size).toBe(100);
        expect(many.every((id) => /^SUP-1\d{3}$/.test(id))).toBe(true);
        expect(await tickets.nextId()).toBe('SUP-1103');
      });

      it('creates and reads a ticket; an unknown id is undefined', async () => {
        const { tickets } = await open();
        const ticket = sampleTicket('SUP-1001', clock.now(), { billableConsent: true, assignee: 'anna' });
        await tickets.create(ticket);
        expect(await tickets.get('SUP-1001')).toEqual(ticket);
        expect(await tickets.get('SUP-9999')).toBeUndefined();
      });

      it('refuses to create a ticket twice', async () => {
        const { tickets } = await open();
        await tickets.create(sampleTicket('SUP-1001', clock.now()));
        await expect(tickets.create(sampleTicket('SUP-1001', clock.now()))).rejects.toMatchObject({
          code: 'ticket_exists',
        });
      });

      it('updates with read-modify-write and returns the new ticket', async () => {
        const { tickets } = await open();
        await tickets.create(sampleTicket('SUP-1001', clock.now()));
        const updated = await tickets.update('SUP-1001', (t) => ({
          ...t,
          status: 'claimed',
          assignee: 'anna',
          events: [...t.events, { at: 2, type: 'claimed', by: 'anna' }],
        }));
        expect(updated?.status).toBe('claimed');
        expect(await tickets.get('SUP-1001')).toEqual(updated);
        expect(await tickets.update('SUP-4040', (t) => t)).toBeUndefined();
      });

      it('loses no change when many updates run at once', async () => {
        const { tickets } = await open();
        await tickets.create(sampleTicket('SUP-1001', clock.now()));
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            tickets.update('SUP-1001', (t) => ({
              ...t,
              events: [...t.events, { at: i, type: 'customer-message', text: `Nachricht ${i}` }],
            })),
          ),
        );
        const ticket = await tickets.get('SUP-1001');
        expect(ticket?.events).toHaveLength(41);
        expect(new Set(ticket?.events.map((e) => e.text)).size).toBe(41);
      });

      it('lists newest first and filters by status, queue and customer', async () => {
        const { tickets } = await open();
        const t0 = clock.now();
        await tickets.create(sampleTicket('SUP-1001', t0, { queue: 'network' }));
        await tickets.create(sampleTicket('SUP-1002', t0 + 10, { status: 'claimed' }));
        await tickets.create(
          sampleTicket('SUP-1003', t0 + 20, { queue: 'network', customer: { id: 'cust-2' } }),
        );
        await tickets.create(sampleTicket('SUP-1004', t0 + 20, { status: 'resolved' }));
        const ids = async (filter?: Parameters<Stores['tickets']['list']>[0]) =>
          (await tickets.list(filter)).map((t) => t.id);
        expect(await ids()).toEqual(['SUP-1004', 'SUP-1003', 'SUP-1002', 'SUP-1001']);
        expect(await ids({ status: ['queued'] })).toEqual(['SUP-1003', 'SUP-1001']);
        expect(await ids({ status: ['claimed', 'resolved'] })).toEqual(['SUP-1004', 'SUP-1002']);
        expect(await ids({ queue: 'network' })).toEqual(['SUP-1003', 'SUP-1001']);
        expect(await ids({ customerId: 'cust-2' })).toEqual(['SUP-1003']);
        expect(await ids({ queue: 'network', customerId: 'cust-1' })).toEqual(['SUP-1001']);
        await tickets.update('SUP-1001', (t) => ({ ...t, status: 'resolved' }));
        expect(await ids({ status: ['queued'] })).toEqual(['SUP-1003']);
      });

      it("filters by the customer's organisation, also after an update", async () => {
        const { tickets } = await open();
        const t0 = clock.now();
        await tickets.create(sampleTicket('SUP-1001', t0, { organisation: 'muster-bau' }));
        await tickets.create(sampleTicket('SUP-1002', t0 + 10));
        await tickets.create(sampleTicket('SUP-1003', t0 + 20, { organisation: 'agentur-pixel' }));
        await tickets.update('SUP-1002', (t) => ({ ...t, organisation: 'muster-bau' }));
        const ids = async (organisation: string) => (await tickets.list({ organisation })).map((t) => t.id);
        expect(await ids('muster-bau')).toEqual(['SUP-1002', 'SUP-1001']);
        expect(await ids('agentur-pixel')).toEqual(['SUP-1003']);
        expect(await ids('nobody')).toEqual([]);
      });

      it('filters by creation time: from an instant, and before another', async () => {
        const { tickets } = await open();
        const t0 = clock.now();
        for (const [i, offset] of [0, 10, 20, 30].entries()) {
          await tickets.create(sampleTicket(`SUP-100${i + 1}`, t0 + offset));
        }
        const ids = async (createdFrom?: number, createdBefore?: number) =>
          (await tickets.list({ createdFrom, createdBefore })).map((t) => t.id);
        expect(await ids(t0 + 10, t0 + 30)).toEqual(['SUP-1003', 'SUP-1002']);
        expect(await ids(t0 + 11)).toEqual(['SUP-1004', 'SUP-1003']);
        expect(await ids(undefined, t0 + 10)).toEqual(['SUP-1001']);
      });

      it("lists the tickets' figures like the tickets, up to date after an update", async () => {
        const { tickets } = await open();
        const t0 = clock.now();
        await tickets.create(sampleTicket('SUP-1001', t0, { organisation: 'muster-bau', billable: true }));
        await tickets.create(sampleTicket('SUP-1002', t0 + 10, { organisation: 'muster-bau' }));
        await tickets.create(sampleTicket('SUP-1003', t0 + 20));
        await tickets.update('SUP-1001', (t) => ({
          ...t,
          status: 'resolved',
          resolvedAt: t0 + 5,
          timeEntries: [
            { at: t0 + 1, by: 'agent', minutes: 7 },
            { at: t0 + 2, by: 'agent', minutes: 9 },
          ],
          events: [...t.events, { at: t0 + 3, type: 'escalated', queue: 'network' }],
        }));
        const figures = await tickets.listFigures({ organisation: 'muster-bau' });
        const full = await tickets.list({ organisation: 'muster-bau' });
        expect(figures.map((f) => f.id)).toEqual(full.map((t) => t.id));
        expect(figures[1]).toEqual({
          id: 'SUP-1001',
          queue: 'general',
          level: 2,
          priority: 'P3',
          status: 'resolved',
          organisation: 'muster-bau',
          billable: true,
          createdAt: t0,
          reactionDueAt: t0 + 4 * 3_600_000,
          resolutionDueAt: t0 + 24 * 3_600_000,
          resolvedAt: t0 + 5,
          escalated: true,
          minutesWorked: 16,
        });
        expect(figures[0]).not.toHaveProperty('transcript');
        expect((await tickets.listFigures({ createdFrom: t0 + 20 })).map((f) => f.id)).toEqual(['SUP-1003']);
      });
    });

    describe('queues', () => {
      it('keeps tickets in enqueue order with 1-based positions', async () => {
        const { queues } = await open();
        for (const id of ['SUP-1003', 'SUP-1001', 'SUP-1010', 'SUP-999']) await queues.enqueue('network', id);
        expect(await queues.list('network')).toEqual(['SUP-1003', 'SUP-1001', 'SUP-1010', 'SUP-999']);
        expect(await queues.position('network', 'SUP-1003')).toBe(1);
        expect(await queues.position('network', 'SUP-999')).toBe(4);
        expect(await queues.position('network', 'SUP-4040')).toBeUndefined();
        expect(await queues.position('general', 'SUP-1003')).toBeUndefined();
        expect(await queues.list('general')).toEqual([]);
      });

      it('keeps the place of a ticket enqueued twice; removing moves the others up', async () => {
        const { queues } = await open();
        await queues.enqueue('general', 'SUP-1001');
        await queues.enqueue('general', 'SUP-1002');
        await queues.enqueue('general', 'SUP-1001');
        expect(await queues.list('general')).toEqual(['SUP-1001', 'SUP-1002']);
        await queues.remove('general', 'SUP-1001');
        await queues.remove('general', 'SUP-4040');
        expect(await queues.position('general', 'SUP-1002')).toBe(1);
        await queues.enqueue('general', 'SUP-1001');
        expect(await queues.list('general')).toEqual(['SUP-1002', 'SUP-1001']);
      });
    });

    describe('feedback', () => {
      it('lists newest first, honours a limit and keeps only the newest up to the cap', async () => {
        const { feedback } = await open({ listCap: 5 });
        for (let i = 0; i < 8; i++) {
          await feedback.add({
            at: clock.now() + i,
            conversationId: 'web:c1',
            entryId: `entry-${i}`,
            language: i % 2 ? 'en' : 'de',
            helpful: i % 3 !== 0,
            ...(i === 1 ? { reason: 'veraltet', question: 'Wie ändere ich mein Passwort?' } : {}),
          });
        }
        const all = await feedback.list();
        expect(all.map((f) => f.entryId)).toEqual(['entry-7', 'entry-6', 'entry-5', 'entry-4', 'entry-3']);
        expect((await feedback.list(2)).map((f) => f.entryId)).toEqual(['entry-7', 'entry-6']);
        expect(all[0]).toEqual({
          at: clock.now() + 7,
          conversationId: 'web:c1',
          entryId: 'entry-7',
          language: 'en',
          helpful: true,
        });
      });
    });

    describe('unanswered questions', () => {
      it('adds open questions with ids, lists newest first and by status', async () => {
        const { unanswered } = await open();
        const a = await unanswered.add({
          at: clock.now(),
          text: 'Wie beantrage ich Urlaub?',
          language: 'de',
          conversationId: 'web:c1',
        });
        const b = await unanswered.add({
          at: clock.now() + 1,
          text: 'Can I get a second monitor?',
          language: 'en',
          conversationId: 'web:c2',
          bestGuess: { id: 'hardware-bestellen', score: 0.31 },
        });
        expect(a.status).toBe('open');
        expect(a.id).not.toBe(b.id);
        expect(await unanswered.list()).toEqual([b, a]);
        await unanswered.setStatus(a.id, 'answered');
        await unanswered.setStatus('no-such-id', 'dismissed');
        expect((await unanswered.list('open')).map((q) => q.id)).toEqual([b.id]);
        expect(await unanswered.list('answered')).toEqual([{ ...a, status: 'answered' }]);
        expect(await unanswered.list('dismissed')).toEqual([]);
      });

      it('keeps only the newest up to the cap', async () => {
        const { unanswered } = await open({ listCap: 3 });
        for (let i = 0; i < 5; i++) {
          await unanswered.add({ at: i, text: `Frage ${i}`, language: 'de', conversationId: 'web:c' });
        }
        expect((await unanswered.list()).map((q) => q.text)).toEqual(['Frage 4', 'Frage 3', 'Frage 2']);
      });
    });

    describe('audit log', () => {
      it('appends events and lists them newest first with a limit, up to the cap', async () => {
        const { audit } = await open({ listCap: 4 });
        for (let i = 0; i < 6; i++) {
          await audit.append({ at: i, actor: 'admin', action: 'faq.update', target: `entry-${i}` });
        }
        await audit.append({
          at: 6,
          actor: 'anna',
          action: 'ticket.claim',
          target: 'SUP-1001',
          detail: 'P2',
        });
        const all = await audit.list();
        expect(all).toHaveLength(4);
        expect(all[0]).toEqual({
          at: 6,
          actor: 'anna',
          action: 'ticket.claim',
          target: 'SUP-1001',
          detail: 'P2',
        });
        expect((await audit.list(2)).map((e) => e.at)).toEqual([6, 5]);
      });
    });

    describe('counters', () => {
      it('counts per name and day', async () => {
        const { counters } = await open();
        expect(await counters.get('2025-03-03')).toEqual({});
        await counters.increment('answered', '2025-03-03');
        await counters.increment('answered', '2025-03-03');
        await counters.increment('handoffs', '2025-03-03', 5);
        await counters.increment('answered', '2025-03-04');
        await Promise.all(Array.from({ length: 30 }, () => counters.increment('unanswered', '2025-03-03')));
        expect(await counters.get('2025-03-03')).toEqual({ answered: 2, handoffs: 5, unanswered: 30 });
        expect(await counters.get('2025-03-04')).toEqual({ answered: 1 });
      });
    });

    describeCoordinationContract(async () => ({ stores: await open(), clock }));
    describeAdminPortsContract(open);
    describeAnnouncementContract(open);
    describePersonalDataContract(async () => ({ stores: await open(), clock }));

    describe('health', () => {
      it('reports ok while the store answers', async () => {
        const stores = await open();
        expect(stores.health().status).toBe('ok');
      });
    });

    describe('web events', () => {
      const relay = (text: string): Reply => ({
        type: 'relay',
        from: 'Erika',
        text,
        actions: [],
        language: 'de',
      });

      it('hands out events after a cursor, oldest first, with the next cursor', async () => {
        const { webEvents } = await open();
        expect((await webEvents.append('web:a', [relay('eins'), relay('zwei')])).map((e) => e.seq)).toEqual([
          1, 2,
        ]);
        await webEvents.append('web:a', [relay('drei')]);
        await webEvents.append('web:b', [relay('other')]);
        expect((await webEvents.since('web:a', 0)).events.map((e) => [e.seq, e.reply.text])).toEqual([
          [1, 'eins'],
          [2, 'zwei'],
          [3, 'drei'],
        ]);
        expect(await webEvents.since('web:a', 2)).toMatchObject({ events: [{ seq: 3 }], cursor: 3 });
        expect(await webEvents.since('web:a', 3)).toEqual({ events: [], cursor: 3 });
        expect(await webEvents.since('web:unknown', 0)).toEqual({ events: [], cursor: 0 });
      });

      it('keeps the reply exactly as pushed, empty arrays included', async () => {
        const { webEvents } = await open();
        const reply: Reply = { type: 'notice', text: 'Gelöst – "danke"', actions: [], language: 'de' };
        await webEvents.append('web:y', [reply]);
        expect((await webEvents.since('web:y', 0)).events[0]?.reply).toEqual(reply);
      });

      it('knows touched conversations before anything is pushed', async () => {
        const { webEvents } = await open();
        expect(await webEvents.has('web:new')).toBe(false);
        await webEvents.touch('web:new');
        expect(await webEvents.has('web:new')).toBe(true);
        expect(await webEvents.since('web:new', 0)).toEqual({ events: [], cursor: 0 });
      });

      it('keeps a bounded number of events per conversation, cursors going on', async () => {
        const { webEvents } = await open();
        const many = Array.from({ length: 205 }, (_, i) => relay(String(i + 1)));
        await webEvents.append('web:w', many);
        const { events, cursor } = await webEvents.since('web:w', 0);
        expect(events).toHaveLength(200);
        expect(events[0]?.seq).toBe(6);
        expect(cursor).toBe(205);
      });

      it('wakes a long poll when a reply is pushed, and releases every poll on wakeAll', async () => {
        const { webEvents } = await open();
        await webEvents.touch('web:z');
        const waiting = webEvents.waitFor('web:z', 0, 20_000).then(() => webEvents.since('web:z', 0));
        await new Promise((r) => setTimeout(r, 50));
        await webEvents.append('web:z', [relay('da')]);
        expect((await waiting).events.map((e) => e.reply.text)).toEqual(['da']);
        const released = webEvents.waitFor('web:z', 1, 20_000).then(() => 'released');
        webEvents.wakeAll();
        expect(await released).toBe('released');
      });
    });

    describe('webAccess', () => {
      it("keeps an issued conversation's token hash, never lets it be issued twice, and forgets it", async () => {
        const { webAccess, webEvents } = await open();
        const access = { tokenHash: 'a'.repeat(64), issuedAt: 1_000 };
        expect(await webAccess.get('web:issued')).toBeUndefined();
        expect(await webAccess.issue('web:issued', access)).toBe(true);
        expect(await webAccess.issue('web:issued', { tokenHash: 'b'.repeat(64), issuedAt: 2_000 })).toBe(
          false,
        );
        expect(await webAccess.get('web:issued')).toEqual(access);
        expect(await webEvents.has('web:issued')).toBe(true);
        await webEvents.append('web:issued', [
          { type: 'relay', from: 'Erika', text: 'geheim', actions: [], language: 'de' },
        ]);
        await webAccess.forget('web:issued');
        expect(await webAccess.get('web:issued')).toBeUndefined();
        expect((await webEvents.since('web:issued', 0)).events).toEqual([]);
      });
    });

    describe('limits', () => {
      it('lets a key take its points in a window, then tells it how long to wait; other keys are not touched', async () => {
        const { limits } = await open();
        const limit = limits.limit('contract', { points: 2, durationSeconds: 60 });
        expect(await limit.consume('10.0.0.1')).toEqual({ allowed: true });
        expect(await limit.consume('10.0.0.1')).toEqual({ allowed: true });
        const refused = await limit.consume('10.0.0.1');
        expect(refused.allowed).toBe(false);
        expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(0);
        expect(refused.allowed === false && refused.retryAfterMs).toBeLessThanOrEqual(60_000);
        expect(await limit.consume('10.0.0.2')).toEqual({ allowed: true });
        // Another limit keeps its own count for the same key.
        expect(await limits.limit('other', { points: 1, durationSeconds: 60 }).consume('10.0.0.1')).toEqual({
          allowed: true,
        });
      });
    });

    describe('responses', () => {
      it('remembers an answer under its key for the given time; the first answer wins', async () => {
        const { responses } = await open();
        expect(await responses.get('turn:k1')).toBeUndefined();
        await responses.put('turn:k1', [{ type: 'notice', text: 'erste' }], 60_000);
        await responses.put('turn:k1', [{ type: 'notice', text: 'zweite' }], 60_000);
        expect(await responses.get('turn:k1')).toEqual([{ type: 'notice', text: 'erste' }]);
        expect(await responses.get('turn:k2')).toBeUndefined();
      });
    });

    describe('outbox', () => {
      const item = (id: string, lane: string, payload: unknown = { text: id, actions: [] }) => ({
        id,
        lane,
        kind: 'reply',
        payload,
      });

      it('hands out the first item of each lane, one lane to one consumer at a time, in the order added', async () => {
        const { outbox } = await open();
        await outbox.add([item('a1', 'lane-a'), item('b1', 'lane-b'), item('a2', 'lane-a')]);
        const first = await outbox.take('p1', 10, 60_000);
        expect(first.map((i) => i.id).sort()).toEqual(['a1', 'b1']);
        expect(first.find((i) => i.id === 'a1')).toMatchObject({
          lane: 'lane-a',
          kind: 'reply',
          payload: { text: 'a1', actions: [] },
          attempts: 0,
          interrupted: false,
        });
        // Both lanes are leased: nothing more for anyone until an item is finished.
        expect(await outbox.take('p2', 10, 60_000)).toEqual([]);
        await outbox.done(first.find((i) => i.id === 'a1') as OutboxItem, 'p1');
        expect((await outbox.take('p2', 10, 60_000)).map((i) => i.id)).toEqual(['a2']);
        expect(await outbox.size()).toEqual({ items: 2, retrying: 0 });
      });

      it('adds an item once, also after it was delivered', async () => {
        const { outbox } = await open();
        await outbox.add([item('x', 'lane'), item('x', 'lane')]);
        const [x] = await outbox.take('p', 10, 60_000);
        await outbox.done(x as OutboxItem, 'p');
        await outbox.add([item('x', 'lane')]);
        expect(await outbox.take('p', 10, 60_000)).toEqual([]);
        expect(await outbox.size()).toEqual({ items: 0, retrying: 0 });
      });

      it('keeps a failed item first in its lane until its retry time, counting attempts', async () => {
        const { outbox } = await open();
        await outbox.add([item('m1', 'lane'), item('m2', 'lane')]);
        const [m1] = await outbox.take('p', 10, 60_000);
        await outbox.retry(m1 as OutboxItem, 'p', clock.now() + 5_000);
        expect(await outbox.take('p', 10, 60_000)).toEqual([]);
        expect(await outbox.size()).toEqual({ items: 2, retrying: 1 });
        clock.advance(5_000);
        const [again] = await outbox.take('p', 10, 60_000);
        expect(again).toMatchObject({ id: 'm1', attempts: 1, interrupted: false });
      });

      it('keeps a deferred item first in its lane until its time, not counted as an attempt', async () => {
        const { outbox } = await open();
        await outbox.add([item('d1', 'busy'), item('d2', 'busy'), item('other', 'free')]);
        const taken = await outbox.take('p', 10, 60_000);
        const d1 = taken.find((i) => i.id === 'd1') as OutboxItem;
        await outbox.retry(d1, 'p', clock.now() + 2_000, false);
        await outbox.done(taken.find((i) => i.id === 'other') as OutboxItem, 'p');
        expect(await outbox.take('p', 10, 60_000)).toEqual([]);
        clock.advance(2_000);
        const [again] = await outbox.take('p', 10, 60_000);
        expect(again).toMatchObject({ id: 'd1', attempts: 0, interrupted: false });
        // A failure after deferrals counts from there.
        await outbox.retry(again as OutboxItem, 'p', clock.now(), true);
        expect((await outbox.take('p', 10, 60_000))[0]).toMatchObject({ id: 'd1', attempts: 1 });
      });

      it('gives a lane whose lease ran out to another consumer, the item marked interrupted', async () => {
        const { outbox } = await open();
        await outbox.add([item('card', 'desk:SUP-1')]);
        expect((await outbox.take('dead', 10, 1_000)).map((i) => i.id)).toEqual(['card']);
        clock.advance(999);
        expect(await outbox.take('alive', 10, 1_000)).toEqual([]);
        clock.advance(1);
        const [taken] = await outbox.take('alive', 10, 1_000);
        expect(taken).toMatchObject({ id: 'card', interrupted: true });
        // A long delivery renews its lease; a consumer that lost its lease renews nothing.
        await outbox.extend([taken as OutboxItem], 'alive', 5_000);
        await outbox.extend([taken as OutboxItem], 'dead', 60_000);
        clock.advance(4_999);
        expect(await outbox.take('third', 10, 1_000)).toEqual([]);
        // The dead consumer's late answer does not free the lane the live one holds.
        await outbox.retry({ ...(taken as OutboxItem) }, 'dead', clock.now());
        expect(await outbox.take('third', 10, 1_000)).toEqual([]);
      });
    });

    describe('close', () => {
      it('refuses writes after close', async () => {
        const stores = await open();
        await stores.close();
        await expect(stores.counters.increment('answered', '2025-03-03')).rejects.toThrow();
      });
    });
  });
}

/** Restart behaviour, for implementations that keep data beyond the process. */
export function describeRestartContract(name: string, fixture: StoreFixture): void {
  describe(`restart contract: ${name}`, () => {
    it('has everything again after close and reopen', async () => {
      const clock = new TestClock();
      const { stores, reopen } = await fixture.open({ clock, conversationTtlMs: DAY });
      if (!reopen) throw new Error('a restart fixture must be able to reopen');
      const conversation = sampleConversation('teams:a:1', clock.now(), {
        owner: 'queued',
        ticketId: 'SUP-1001',
      });
      await stores.conversations.put(conversation);
      await stores.conversations.put(sampleConversation('web:gone', clock.now()));
      await stores.conversations.delete('web:gone');
      await stores.dedupe.firstSeen('slack:Ev1', DAY);
      const id = await stores.tickets.nextId();
      await stores.tickets.create(sampleTicket(id, clock.now()));
      await stores.tickets.update(id, (t) => ({ ...t, priority: 'P1' }));
      await stores.queues.enqueue('general', id);
      await stores.queues.enqueue('general', 'SUP-0042');
      await stores.queues.remove('general', 'SUP-0042');
      await stores.feedback.add({
        at: 1,
        conversationId: 'web:c',
        entryId: 'vpn',
        language: 'de',
        helpful: true,
      });
      const question = await stores.unanswered.add({
        at: 2,
        text: 'Drucker?',
        language: 'de',
        conversationId: 'c',
      });
      await stores.unanswered.setStatus(question.id, 'dismissed');
      await stores.audit.append({ at: 3, actor: 'admin', action: 'faq.publish' });
      await stores.counters.increment('answered', '2025-03-03', 3);
      await stores.slaTimers.schedule({ ticketId: id, name: 'reaction-warning', dueAt: clock.now() + 1000 });
      await stores.knowledge.remove('vpn-einrichten', 'de', 'admin');
      await stores.webEvents.append('web:pushed', [
        { type: 'relay', from: 'Erika', text: 'vor dem Neustart', actions: [], language: 'de' },
      ]);
      await stores.responses.put('turn:web:k', ['answer'], DAY);
      await stores.accounts.put({
        id: 'erika',
        name: 'Erika',
        role: 'agent',
        tokenHash: 'h',
        createdAt: 1,
        createdBy: 'x',
      });
      await stores.settings.set('matching', { threshold: 0.5, margin: 0.3 });
      await stores.questions.add({
        at: 4,
        conversationId: 'c',
        text: 'VPN?',
        language: 'de',
        candidates: [],
      });
      await stores.questions.addOutcome({
        at: 5,
        conversationId: 'c',
        text: 'VPN?',
        right: null,
        by: 'agent',
      });
      await stores.outbox.add([
        { id: 'o1', lane: 'deliver:web:x', kind: 'reply', payload: { n: 1 } },
        { id: 'o2', lane: 'deliver:web:x', kind: 'reply', payload: { n: 2 } },
        { id: 'o3', lane: 'deliver:web:y', kind: 'reply', payload: { n: 3 } },
      ]);
      const announcement = {
        id: 'INC-7',
        kind: 'maintenance' as const,
        service: 'vpn',
        startsAt: 10,
        endsAt: 20,
        status: { de: 'Wartung', en: 'Maintenance' },
        updates: [],
        links: [],
        createdAt: 5,
        createdBy: 'admin',
      };
      await stores.announcements.put(announcement);
      const [delivered, failed] = await stores.outbox.take('before', 10, DAY);
      await stores.outbox.done(delivered as OutboxItem, 'before');
      await stores.outbox.retry(failed as OutboxItem, 'before', clock.now());
      await stores.close();

      const again = await reopen();
      try {
        expect(await again.conversations.get('teams:a:1')).toEqual(conversation);
        expect(await again.conversations.get('web:gone')).toBeUndefined();
        expect(await again.dedupe.firstSeen('slack:Ev1', DAY)).toBe(false);
        expect((await again.tickets.get(id))?.priority).toBe('P1');
        expect(await again.tickets.nextId()).toBe('SUP-1002');
        expect(await again.queues.list('general')).toEqual([id]);
        expect(await again.feedback.list()).toHaveLength(1);
        expect(await again.unanswered.list()).toEqual([{ ...question, status: 'dismissed' }]);
        expect((await again.audit.list())[0]?.action).toBe('faq.publish');
        expect(await again.counters.get('2025-03-03')).toEqual({ answered: 3 });
        expect(await again.slaTimers.list()).toEqual([
          { ticketId: id, name: 'reaction-warning', dueAt: clock.now() + 1000 },
        ]);
        expect((await again.knowledge.current()).version).toBe(1);
        expect(await again.webEvents.since('web:pushed', 0)).toMatchObject({
          events: [{ seq: 1, reply: { text: 'vor dem Neustart' } }],
          cursor: 1,
        });
        expect(await again.responses.get('turn:web:k')).toEqual(['answer']);
        expect((await again.accounts.findByTokenHash('h'))?.name).toBe('Erika');
        // The revision read before the restart still writes: it is the one stored.
        expect(await again.announcements.get('INC-7')).toEqual(announcement);
        expect(await again.announcements.put({ ...announcement, endedAt: 15 })).toBe('written');
        expect(await again.settings.current()).toEqual({
          version: 1,
          values: { matching: { threshold: 0.5, margin: 0.3 } },
        });
        expect((await again.questions.list()).map((q) => q.text)).toEqual(['VPN?']);
        expect((await again.questions.outcomes())[0]?.right).toBeNull();
        // What was delivered is gone, the rest waits in order; leases do not survive a restart.
        const left = await again.outbox.take('after', 10, DAY);
        expect(left.map((i) => [i.id, i.attempts])).toEqual([
          ['o2', 0],
          ['o3', 1],
        ]);
        // Expiry still counts from the original write.
        clock.advance(DAY);
        expect(await again.conversations.get('teams:a:1')).toBeUndefined();
      } finally {
        await again.close();
      }
    });
  });
}

function intakeFor(conversation: ReturnType<typeof sampleConversation>) {
  return {
    queue: 'network',
    values: { summary: conversation.transcript[0]?.text ?? '' },
    skipped: [],
    billable: false,
    attempts: 0,
  };
}
