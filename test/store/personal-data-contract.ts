import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.ts';
import type { Feedback, Stores } from '../../src/store/ports.ts';
import { sampleConversation, type TestClock } from '../support/store-samples.ts';

const DAY = 24 * 60 * 60 * 1000;
const notice = (text: string): Reply => ({ type: 'notice', text, actions: [], language: 'de' });

function feedback(conversationId: string, at: number, reason?: string): Feedback {
  return {
    at,
    conversationId,
    entryId: 'vpn',
    language: 'de',
    helpful: false,
    reason,
    question: `q ${reason}`,
  };
}

/** A customer's erasure and retention. Called from describeStoreContract, so every implementation runs it. */
export function describePersonalDataContract(
  open: () => Promise<{ stores: Stores; clock: TestClock }>,
): void {
  describe('personal data', () => {
    it('erases everything kept under a customer’s conversations and nothing of anyone else’s', async () => {
      const { stores, clock } = await open();
      const now = clock.now();
      for (const id of ['web:gone', 'web:stays']) {
        await stores.conversations.put(sampleConversation(id, now));
        await stores.feedback.add(feedback(id, now, `why ${id}`));
        await stores.unanswered.add({ at: now, text: `what ${id}`, language: 'de', conversationId: id });
        await stores.questions.add({
          at: now,
          conversationId: id,
          text: `ask ${id}`,
          language: 'de',
          candidates: [],
        });
        await stores.questions.addOutcome({
          at: now,
          conversationId: id,
          text: `ask ${id}`,
          right: null,
          by: 'agent',
        });
        await stores.webAccess.issue(id, {
          tokenHash: `hash ${id}`,
          issuedAt: now,
          identity: { userId: id, name: 'N' },
        });
        await stores.webEvents.append(id, [notice(`pushed ${id}`)]);
        await stores.responses.put(`turn:${id}:key:1`, [notice(`answer ${id}`)], DAY);
        await stores.dedupe.firstSeen(`turn:${id}:key:1`, DAY);
        await stores.outbox.add([
          { id: `r-${id}`, lane: `reply:${id}`, kind: 'reply', payload: { text: `relay ${id}` } },
        ]);
      }
      await stores.outbox.add([
        { id: 'card-gone', lane: 'ticket:slack-ticket-cards:SUP-1001', kind: 'ticket:x', payload: {} },
        { id: 'card-stays', lane: 'ticket:slack-ticket-cards:SUP-10011', kind: 'ticket:x', payload: {} },
      ]);

      const erased = await stores.personalData.erase({
        conversationIds: ['web:gone'],
        ticketIds: ['SUP-1001'],
      });

      expect(erased).toEqual({
        conversations: 1,
        feedback: 1,
        unansweredQuestions: 1,
        loggedQuestions: 1,
        questionOutcomes: 1,
        webConversations: 1,
        rememberedAnswers: 1,
        outboxItems: 2,
      });
      expect(await stores.conversations.get('web:gone')).toBeUndefined();
      expect(await stores.conversations.get('web:stays')).toBeDefined();
      const conversationsOf = (items: { conversationId: string }[]) => items.map((i) => i.conversationId);
      expect(conversationsOf(await stores.feedback.list())).toEqual(['web:stays']);
      expect(conversationsOf(await stores.unanswered.list())).toEqual(['web:stays']);
      expect(conversationsOf(await stores.questions.list())).toEqual(['web:stays']);
      expect(conversationsOf(await stores.questions.outcomes())).toEqual(['web:stays']);
      expect(await stores.webAccess.get('web:gone')).toBeUndefined();
      expect((await stores.webEvents.since('web:gone', 0)).events).toEqual([]);
      expect((await stores.webEvents.since('web:stays', 0)).events).toHaveLength(1);
      expect(await stores.responses.get('turn:web:gone:key:1')).toBeUndefined();
      expect(await stores.responses.get('turn:web:stays:key:1')).toBeDefined();
      // The turn id is forgotten too: nothing links the customer to it any more.
      expect(await stores.dedupe.firstSeen('turn:web:gone:key:1', DAY)).toBe(true);
      expect(await stores.dedupe.firstSeen('turn:web:stays:key:1', DAY)).toBe(false);
      const waiting = await stores.outbox.take('p1', 10, 60_000);
      expect(waiting.map((i) => i.id).sort()).toEqual(['card-stays', 'r-web:stays']);
      expect(await stores.outbox.size()).toEqual({ items: 2, retrying: 0 });
      // Erasing again finds nothing more.
      expect(
        Object.values(await stores.personalData.erase({ conversationIds: ['web:gone'], ticketIds: [] })),
      ).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    });

    it('expires logs from before the cutoff and keeps older feedback’s rating without its texts', async () => {
      const { stores, clock } = await open();
      const old = clock.now() - 400 * DAY;
      const recent = clock.now() - DAY;
      for (const at of [old, recent]) {
        await stores.feedback.add(feedback(`web:${at}`, at, `reason ${at}`));
        await stores.unanswered.add({ at, text: `what ${at}`, language: 'de', conversationId: `web:${at}` });
        await stores.questions.add({
          at,
          conversationId: `web:${at}`,
          text: `ask ${at}`,
          language: 'de',
          candidates: [],
        });
        await stores.questions.addOutcome({
          at,
          conversationId: `web:${at}`,
          text: `ask ${at}`,
          right: 'vpn',
          by: 'curator',
        });
      }

      const expired = await stores.personalData.expire(clock.now() - 365 * DAY);

      expect(expired).toMatchObject({
        feedback: 1,
        unansweredQuestions: 1,
        loggedQuestions: 1,
        questionOutcomes: 1,
      });
      expect(await stores.feedback.list()).toEqual([
        feedback(`web:${recent}`, recent, `reason ${recent}`),
        { at: old, conversationId: 'erased', entryId: 'vpn', language: 'de', helpful: false },
      ]);
      expect((await stores.unanswered.list()).map((q) => q.at)).toEqual([recent]);
      expect((await stores.questions.list()).map((q) => q.at)).toEqual([recent]);
      expect((await stores.questions.outcomes()).map((q) => q.at)).toEqual([recent]);
      // A second sweep changes nothing.
      expect(await stores.personalData.expire(clock.now() - 365 * DAY)).toMatchObject({ feedback: 0 });
    });
  });
}
