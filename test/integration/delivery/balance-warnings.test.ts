import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AssembledBot, assembleBot } from '../../../src/assemble-bot.ts';
import { HelpdeskWebhook } from '../../../src/channels/webhook/helpdesk-webhook.ts';
import { readWebhookEndpoints } from '../../../src/config/webhook-endpoints.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import type { Stores } from '../../../src/core/ports.ts';
import { loadCustomersConfig } from '../../../src/handoff/customers-config.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { HelpdeskStandIn } from '../../support/helpdesk-stand-in.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';
import { SmtpStandIn } from '../../support/smtp-stand-in.ts';
import { sampleTicket } from '../../support/store-samples.ts';
import { defaultSupport, defaultUnderstanding, RecordingSink } from '../../unit/transcripts/chat-harness.ts';

const url = redisTestUrl();
const filePrefix = uniqueRedisPrefix('balance-warnings');
let counter = 0;
afterAll(() => deleteRedisKeys(url, filePrefix));

const secret = `whsec_${randomBytes(32).toString('base64')}`;

/** Two handles on one shared store, as two processes have; the embedded one shares itself. */
const shared: { name: string; open(clock: ManualClock): Promise<[Stores, Stores]> }[] = [
  {
    name: 'embedded',
    open: async (clock) => {
      const stores = await createEmbeddedStores({ clock, warn: () => {} });
      return [stores, stores];
    },
  },
  {
    name: 'redis',
    open: async (clock) => {
      const prefix = `${filePrefix}${++counter}:`;
      return [
        await createRedisStores({ url, prefix, clock }),
        await createRedisStores({ url, prefix, clock }),
      ];
    },
  },
];

for (const store of shared) {
  describe(`block-hour warnings to the organisation, two processes on ${store.name}`, () => {
    const bots: AssembledBot[] = [];
    const opened: Stores[] = [];
    let helpdesk: HelpdeskStandIn;
    let smtp: SmtpStandIn;

    beforeEach(async () => {
      helpdesk = new HelpdeskStandIn(secret);
      smtp = new SmtpStandIn();
      await Promise.all([helpdesk.start(), smtp.start()]);
    });

    afterEach(async () => {
      for (const bot of bots.splice(0)) await bot.stop();
      for (const s of new Set(opened.splice(0))) await s.close();
      await Promise.all([helpdesk.stop(), smtp.stop()]);
    });

    async function startProcess(stores: Stores, clock: ManualClock, name: string): Promise<AssembledBot> {
      const bot = await assembleBot({
        understanding: await defaultUnderstanding(),
        support: await defaultSupport(),
        customers: await loadCustomersConfig('config/customers.yaml'),
        stores,
        thresholds: shippedThresholds(),
        outbox: { consumer: name, pollMs: 20, baseBackoffMs: 50 },
        clock,
        smtp: { url: smtp.url, from: 'Support <support@provider.example>' },
      });
      bot.delivery.register('web', new RecordingSink());
      const endpoints = readWebhookEndpoints({
        WEBHOOK_URL: helpdesk.url,
        WEBHOOK_SECRET: secret,
        WEBHOOK_EVENTS: 'contract.balance-low,contract.balance-exhausted',
      });
      if (!endpoints.ok) throw new Error(JSON.stringify(endpoints.problems));
      for (const endpoint of endpoints.endpoints) {
        bot.outbox.ticketEvents.subscribe(new HelpdeskWebhook(endpoint, clock), endpoint.name);
      }
      await bot.start();
      bots.push(bot);
      return bot;
    }

    it('warns the contact once when the hours run low and once when they are used up, by webhook and e-mail', async () => {
      const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
      const [storesA, storesB] = await store.open(clock);
      opened.push(storesA, storesB);
      const a = await startProcess(storesA, clock, 'process-a');
      const b = await startProcess(storesB, clock, 'process-b');
      // Two billable tickets of Muster Bau (20 h bought, warned at 2 h left), one per process.
      for (const id of ['SUP-1001', 'SUP-1002']) {
        await storesA.tickets.create(
          sampleTicket(id, clock.now(), {
            organisation: 'muster-bau',
            billable: true,
            conversation: { channel: 'web', conversationId: `web:${id}`, address: {} },
          }),
        );
      }
      // Together they reach the mark (9 h each: 2 h left); neither alone crosses it.
      const low = await Promise.all([
        a.agentDesk.recordTime('SUP-1001', 'agent-ole', 540),
        b.agentDesk.recordTime('SUP-1002', 'agent-ida', 540),
      ]);
      expect(low.every((r) => r.ok)).toBe(true);
      // More work below the mark: no second "low" warning.
      await a.agentDesk.recordTime('SUP-1001', 'agent-ole', 30);
      await Promise.all([
        a.agentDesk.recordTime('SUP-1001', 'agent-ole', 60),
        b.agentDesk.recordTime('SUP-1002', 'agent-ida', 60),
      ]);
      await b.agentDesk.recordTime('SUP-1002', 'agent-ida', 15);

      await helpdesk.waitForAccepted(2);
      await smtp.waitForMails(2);
      await Promise.all([a.outbox.idle(), b.outbox.idle()]);
      expect(helpdesk.accepted().map((c) => c.type)).toEqual([
        'contract.balance-low',
        'contract.balance-exhausted',
      ]);
      expect(helpdesk.accepted().every((c) => c.valid)).toBe(true);
      const lowCall = JSON.parse(helpdesk.accepted()[0]?.body ?? '{}');
      expect(lowCall.data).toMatchObject({ organisation: 'muster-bau', event: { hoursLeft: 2 } });

      expect(smtp.mails).toHaveLength(2);
      expect(smtp.mails.map((m) => m.to)).toEqual([['it@muster-bau.example'], ['it@muster-bau.example']]);
      expect(smtp.mails.map((m) => m.header('subject'))).toEqual([
        'Muster Bau GmbH: Blockstunden werden knapp',
        'Muster Bau GmbH: Blockstunden aufgebraucht',
      ]);
      expect(smtp.mails[0]?.from).toBe('support@provider.example');
      expect(smtp.mails[0]?.data).toContain('Bought: 20 h, used: 18 h, left: 2 h.');
      expect(new Set(smtp.mails.map((m) => m.header('message-id'))).size).toBe(2);
    });
  });
}
