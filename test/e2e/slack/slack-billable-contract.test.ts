import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSlaReport } from '../../../src/admin/reports/load-sla-report.ts';
import { decodeAction, TICKET_ACTION } from '../../../src/channels/slack/slack-action-codec.ts';
import { cardLocationOf } from '../../../src/channels/slack/ticket-card-publisher.ts';
import { HelpdeskWebhook } from '../../../src/channels/webhook/helpdesk-webhook.ts';
import { readWebhookEndpoints } from '../../../src/config/webhook-endpoints.ts';
import type { Action } from '../../../src/core/action.ts';
import { HelpdeskStandIn } from '../../support/helpdesk-stand-in.ts';
import { AGENT, TEAM, useSlackFixture } from './slack-fixture.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const helpdesk = new HelpdeskStandIn(SECRET);
let dir = '';

/** Muster Bau's people work in the fixture's Slack workspace; the contract: 10 block hours. */
const CUSTOMERS_YAML = `
tiers:
  standard: { name: { de: Standard, en: Standard } }
  business:
    name: { de: Business, en: Business }
    sla: { P1: { reactionMinutes: 30, resolutionMinutes: 240, allHours: true } }
default: { tier: standard }
organisations:
  - id: muster-bau
    name: Muster Bau GmbH
    recognise: { slackTeams: [${TEAM}] }
    contract: { model: block-hours, tier: business, hoursBought: 10, lowBalanceHours: 1 }
`;

beforeAll(async () => {
  await helpdesk.start();
  dir = await mkdtemp(join(tmpdir(), 'slack-contract-'));
  await writeFile(join(dir, 'customers.yaml'), CUSTOMERS_YAML);
});

afterAll(async () => {
  await helpdesk.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Button {
  action_id: string;
  value: string;
  action?: Action;
}

function buttons(blocks: unknown[]): Button[] {
  return (blocks as { type: string; elements?: Button[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((b) => ({ ...b, action: decodeAction(b.value) }));
}

describe('an organisation with block hours, end to end in Slack', () => {
  const fx = useSlackFixture(
    (started) => {
      const endpoints = readWebhookEndpoints({
        WEBHOOK_URL: helpdesk.url,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_EVENTS: '*',
      });
      if (!endpoints.ok) throw new Error('bad webhook settings');
      for (const endpoint of endpoints.endpoints) {
        started.bot.outbox.ticketEvents.subscribe(
          new HelpdeskWebhook(endpoint, started.clock),
          endpoint.name,
        );
      }
    },
    { customersConfig: () => join(dir, 'customers.yaml') },
  );

  it('a billable ticket, 7 minutes recorded, 0.25 h off the balance, in the month’s report, every event once at the helpdesk', async () => {
    const user = 'UMUSTER1';
    const dm = 'DMUSTER1';
    fx.slack.addUser(user, 'Petra Muster', 'en-US');
    // A billable topic: the customer asks, then wants a person, gives the details and consents.
    await fx.dm('Can you fix an error in my website design?', user, dm);
    await fx.settle();
    const answer = fx.posted(dm).at(-1);
    const person = answer && buttons(answer.blocks).find((b) => b.action?.type === 'talk-to-person');
    if (!answer || !person) throw new Error('no "talk to a person" button');
    await fx.click(answer, person.action_id, person.value, user);
    const details: Record<string, string> = {
      summary: 'The contact form on our website shows a layout error',
      system: 'Company website',
      error: 'skip',
      since: 'since yesterday',
      impact: 'only me',
      urgency: 'it can wait',
      contact: 'petra@muster-bau.example',
    };
    let consented = false;
    for (let step = 0; step < 15; step++) {
      await fx.settle();
      const last = fx.posted(dm).at(-1);
      if (!last || /SUP-\d+/.test(JSON.stringify(last.blocks))) break;
      const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:${dm}`);
      const field = conversation?.intake?.asking;
      const consent = buttons(last.blocks).find((b) => b.action?.type === 'consent' && b.action.accept);
      const choice = buttons(last.blocks).find((b) => b.action?.type === 'choose-value');
      if (!field && consent) consented = true;
      if (!field && (consent ?? choice)) {
        const button = consent ?? choice;
        if (button) await fx.click(last, button.action_id, button.value, user);
      } else await fx.dm(details[field ?? 'summary'] ?? 'yes', user, dm);
    }
    await fx.settle();
    expect(consented).toBe(true);
    const [ticket] = await fx.bot.stores.tickets.list({ customerId: `slack:${TEAM}:${user}` });
    if (!ticket) throw new Error('no ticket');
    expect(ticket).toMatchObject({ organisation: 'muster-bau', billable: true, billableConsent: true });

    // The agent claims from the card in the agent channel, answers, records 7 minutes, resolves.
    const at = cardLocationOf(ticket);
    if (!at) throw new Error('no card');
    await fx.click({ channel: at.channel, ts: at.ts, blocks: [] }, TICKET_ACTION.claim, ticket.id, AGENT);
    await fx.settle();
    await fx.bot.agentDesk.reply(ticket.id, 'Erika Agent', 'The form is fixed, please try again.');
    const recorded = await fx.bot.agentDesk.recordTime(ticket.id, 'Erika Agent', 7, 'CSS of the form');
    expect(recorded).toMatchObject({
      ok: true,
      quarterHours: 1,
      balance: { hoursLeft: 9.75, hoursUsed: 0.25 },
    });
    await fx.bot.agentDesk.resolve(ticket.id, 'Erika Agent');
    await fx.settle();

    // A colleague asks for the balance.
    fx.slack.addUser('UMUSTER2', 'Paul Muster', 'en-US');
    await fx.dm('how many hours are left on our contract?', 'UMUSTER2', 'DMUSTER2');
    await fx.settle();
    expect(JSON.stringify(fx.posted('DMUSTER2').map((m) => m.blocks))).toContain(
      'Block hours of Muster Bau GmbH: 9.75 of 10 hours left (0.25 h used).',
    );

    // The month's report.
    const month = new Date(fx.clock.now()).toISOString().slice(0, 7);
    const report = await loadSlaReport(
      { month, organisation: 'muster-bau' },
      { stores: fx.bot.stores, support: fx.bot.support, customers: fx.bot.customers, clock: fx.clock },
    );
    expect(report.rows).toEqual([
      expect.objectContaining({
        organisation: 'muster-bau',
        tickets: 1,
        billableQuarterHours: 1,
        reactionMetPercent: 100,
      }),
    ]);
    expect(report.organisations[0]?.blockHours).toMatchObject({
      hoursBought: 10,
      hoursUsed: 0.25,
      hoursLeft: 9.75,
    });

    // The helpdesk: every event of the ticket once, in order, each signed validly.
    await helpdesk.waitForAccepted(5);
    await fx.settle();
    const calls = helpdesk.accepted().filter((c) => c.ticketId === ticket.id);
    expect(calls.map((c) => c.type)).toEqual([
      'ticket.created',
      'ticket.claimed',
      'ticket.replied',
      'ticket.time-recorded',
      'ticket.resolved',
    ]);
    expect(calls.every((c) => c.valid)).toBe(true);
    expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
    expect(helpdesk.calls.length).toBe(helpdesk.accepted().length);
  });
});
