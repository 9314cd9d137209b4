import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../../src/admin/accounts/account-directory.ts';
import { systemClock } from '../../../src/core/clock.ts';
import {
  GENERAL_CHANNEL,
  NETWORK_CHANNEL_TEAMS,
  TeamsAgent,
  threadTexts,
  waitForCard,
} from './teams-agent-driver.ts';
import {
  buttonFor,
  cardOf,
  cardText,
  startTeamsFixture,
  type TeamsCustomer,
  type TeamsFixture,
} from './teams-fixture.ts';
import { completeIntake } from './teams-intake-driver.ts';

/**
 * Teams customers, Teams agents: the bot installed in a team, each queue with its channel there.
 * The real CloudAdapter on the real HTTP server, the real engine, desk and outbox, a connector
 * stand-in on 127.0.0.1 receiving the cards and messages.
 */
let fx: TeamsFixture;
let anna: TeamsAgent;
let bernd: TeamsAgent;
const ANNA_AAD = '6a1c0b6e-4d1f-4f8e-9c55-2b7c1f0e9a11';

beforeAll(async () => {
  fx = await startTeamsFixture({
    agentChannels: `general=${GENERAL_CHANNEL},network=${NETWORK_CHANNEL_TEAMS}`,
  });
  // Anna has a console account: in Teams she acts under its name.
  const accounts = new AccountDirectory(fx.bot.stores, systemClock);
  const added = await accounts.add({ name: 'Anna Berger', role: 'agent', teamsUserId: ANNA_AAD }, 'test');
  expect(added.ok).toBe(true);
  anna = new TeamsAgent(fx.post, fx.connector, 'Anna B. (IT)', ANNA_AAD);
  bernd = new TeamsAgent(fx.post, fx.connector, 'Bernd Brot');
});

afterAll(async () => {
  await fx?.close();
});

function texts(customer: TeamsCustomer): string[] {
  return customer.messages().map((m) => String(m.activity.text ?? '') + cardText(cardOf(m)));
}

async function openTicket(customer: TeamsCustomer): Promise<string> {
  await customer.say('Ich möchte mit einem Menschen sprechen');
  const confirmation = await completeIntake(customer, 0);
  return /SUP-\d+/.exec(cardText(cardOf(confirmation)))?.[0] as string;
}

describe('Teams customer ↔ Teams agents', () => {
  it('card in the queue channel, one claim wins, thread reply relayed, note internal, resolve and rating', async () => {
    const customer = fx.customer({ name: 'Erika Mustermann' });
    const ticketId = await openTicket(customer);

    // The card is posted proactively into the general queue's channel, as a new thread.
    let card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId);
    const posted = fx.connector.messages(GENERAL_CHANNEL).find((m) => m.createdId === card.rootId);
    expect(posted?.createdConversation).toBe(true);
    expect(card.text).toContain(`${ticketId} · P`);
    expect(card.text).toMatch(/Reaction: 🟢 due \{\{DATE\(/);
    expect(card.text).toContain('Resolution:');
    expect(card.text).toContain('Der Drucker im zweiten Stock druckt nur leere Seiten');
    expect(card.text).toContain('Conversation (last');
    expect(card.text).toContain('Erika Mustermann (de)');
    const titles = (card.card.actions as { title: string }[]).map((a) => a.title);
    expect(titles).toEqual(['Claim', 'Resolve', 'Escalate', 'Give back to the bot']);

    // Two agents click Claim: the first takes it, the second is told on the card.
    const first = await anna.click(card, 'Claim');
    const second = await bernd.click(card, 'Claim');
    expect(first.status).toBe(200);
    expect(cardText((first.body as { value: unknown }).value)).toContain('claimed by Anna Berger');
    expect(cardText((second.body as { value: unknown }).value)).toMatch(
      /⛔ SUP-\d+ is already claimed by Anna Berger \(conflict\)/,
    );
    const claimed = await fx.bot.stores.tickets.get(ticketId);
    expect(claimed?.assignee).toBe('Anna Berger');
    // The card is redrawn in place (PUT on the same message), not posted again.
    card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId, (c) => c.text.includes('claimed by'));
    expect(card.text).toContain('claimed by Anna Berger');
    expect(
      fx.connector.messages(GENERAL_CHANNEL).filter((m) => cardText(cardOf(m)).includes(ticketId)),
    ).toHaveLength(1);
    await fx.connector.waitFor(() =>
      texts(customer).some((t) => t.includes('Anna Berger aus dem Support-Team hat Ihr Anliegen übernommen')),
    );

    // A reply in the card's thread, with an @mention of the bot: relayed without the mention.
    await anna.reply(card, 'Bitte starten Sie den Drucker einmal neu.', { mention: true });
    await fx.connector.waitFor(() =>
      texts(customer).some((t) => t.includes('Bitte starten Sie den Drucker einmal neu.')),
    );
    const relay = customer.messages().at(-1);
    expect(cardText(cardOf(relay))).toContain('Anna Berger · Support-Team');
    expect(JSON.stringify(relay?.activity)).not.toContain('<at>');

    // `note:` without a mention (resource-specific consent brings it): stays internal.
    const before = customer.messages().length;
    await anna.reply(card, 'note: Treiber 4.2 prüfen, falls das nicht hilft');
    await fx.bot.outbox.idle();
    expect(customer.messages()).toHaveLength(before);
    const noted = await fx.bot.stores.tickets.get(ticketId);
    expect(noted?.events.at(-1)).toMatchObject({ type: 'internal-note', by: 'Anna Berger', via: 'teams' });

    // The customer's next message appears in the thread.
    await customer.say('Habe ich gemacht, es kommen immer noch leere Seiten.');
    await fx.connector.waitFor(() =>
      threadTexts(fx.connector, card).some((t) => t.includes('immer noch leere Seiten')),
    );
    expect(threadTexts(fx.connector, card).join('\n')).toContain('Erika Mustermann (customer) wrote:');
    // What the agents wrote in the thread themselves is not echoed back into it.
    expect(threadTexts(fx.connector, card).join('\n')).not.toContain('Treiber 4.2');

    // Resolve: the card shows it, the customer gets the notice with the rating question.
    card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId, (c) => c.text.includes('claimed by'));
    expect((await anna.click(card, 'Resolve')).status).toBe(200);
    await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId, (c) => c.text.includes('✅ resolved'));
    await fx.connector.waitFor(() => texts(customer).some((t) => t.includes('als gelöst markiert')));
    const notice = customer.messages().at(-1);
    const five = buttonFor(cardOf(notice), (a) => a.type === 'rate' && a.rating === 5);
    expect(five).toBeDefined();
    expect((await customer.execute(notice?.createdId as string, five?.data ?? {})).status).toBe(200);
    expect((await fx.bot.stores.tickets.get(ticketId))?.rating).toBe(5);

    // Save as FAQ: the customer's question and Anna's answer, edited on the card, go to the curators.
    const resolved = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId, (c) =>
      c.text.includes('✅ resolved'),
    );
    const tooShort = await anna.click(resolved, 'File for the curators', {
      sb_desk_question: 'Drucker druckt leere Seiten',
      sb_desk_answer: 'Neu!',
    });
    expect(cardText((tooShort.body as { value: unknown }).value)).toContain('⛔ write the answer');
    const filed = await anna.click(resolved, 'File for the curators', {
      sb_desk_question: 'Drucker druckt leere Seiten',
      sb_desk_answer: 'Drucker einmal neu starten; hilft das nicht, den Treiber 4.2 installieren.',
    });
    expect(cardText((filed.body as { value: unknown }).value)).toContain(
      '✅ Anna Berger filed this answer for the curators',
    );
    const proposals = (await fx.bot.stores.unanswered.list('open')).filter(
      (q) => q.proposedAnswer?.ticketId === ticketId,
    );
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({
      text: 'Drucker druckt leere Seiten',
      proposedAnswer: { by: 'Anna Berger', text: expect.stringContaining('Treiber 4.2') },
    });
  });

  it('escalating to a queue with another channel moves the card there', async () => {
    const customer = fx.customer({ name: 'Max Muster' });
    const ticketId = await openTicket(customer);
    const card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId);
    const result = await bernd.click(card, 'Escalate', {
      sb_desk_target: 'network',
      sb_desk_reason: 'VPN-Thema',
    });
    expect(result.status).toBe(200);
    await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId, (c) => c.text.includes('moved'));
    const moved = await waitForCard(fx.connector, NETWORK_CHANNEL_TEAMS, ticketId);
    expect(moved.text).toContain('Network');
    expect((await fx.bot.stores.tickets.get(ticketId))?.queue).toBe('network');

    // Given back to the bot from the new card: the customer is told, the card says so.
    expect((await anna.click(moved, 'Give back to the bot')).status).toBe(200);
    await waitForCard(fx.connector, NETWORK_CHANNEL_TEAMS, ticketId, (c) =>
      c.text.includes('↩️ returned to the bot'),
    );
    await fx.connector.waitFor(() => texts(customer).some((t) => t.includes('an mich zurückgegeben')));
    expect((await fx.bot.stores.conversations.get(customer.engineConversationId))?.owner).toBe('bot');
  });

  it('a card that Teams throttles (429) reaches the channel later, once', async () => {
    const customer = fx.customer({ name: 'Jana Beispiel' });
    const ticketId = await openTicket(customer);
    const card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId);
    // The connector refuses the next calls: more than the sender's own retries, so the outbox retries.
    fx.connector.failNext(
      { status: 429 },
      { status: 429 },
      { status: 429 },
      { status: 429 },
      { status: 429 },
    );
    expect((await bernd.click(card, 'Claim')).status).toBe(200);
    await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId, (c) =>
      c.text.includes('claimed by Bernd Brot'),
    );
    await fx.connector.waitFor(
      () =>
        texts(customer).some((t) =>
          t.includes('Bernd Brot aus dem Support-Team hat Ihr Anliegen übernommen'),
        ),
      15_000,
    );
    expect(
      texts(customer).filter((t) =>
        t.includes('Bernd Brot aus dem Support-Team hat Ihr Anliegen übernommen'),
      ),
    ).toHaveLength(1);
    expect(fx.connector.calls.filter((c) => c.status === 429).length).toBe(5);
  });

  it('while the connector is away (503), the customer’s message waits in the outbox and reaches the thread once', async () => {
    const customer = fx.customer({ name: 'Olaf Offline' });
    const ticketId = await openTicket(customer);
    const card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId);
    const thread = `${GENERAL_CHANNEL};messageid=${card.rootId}`;
    fx.connector.failNext({ status: 503, conversationId: thread }, { status: 503, conversationId: thread });
    expect((await customer.say('Ist schon jemand dran?')).status).toBe(200);
    await fx.connector.waitFor(
      () => threadTexts(fx.connector, card).some((t) => t.includes('Ist schon jemand dran?')),
      15_000,
    );
    const failed = fx.connector.calls.filter((c) => c.status === 503);
    expect(failed).toHaveLength(2);
    expect(failed.every((c) => c.conversationId === `${GENERAL_CHANNEL};messageid=${card.rootId}`)).toBe(
      true,
    );
    await fx.bot.outbox.idle();
    expect(threadTexts(fx.connector, card).filter((t) => t.includes('Ist schon jemand dran?'))).toHaveLength(
      1,
    );
  });

  it('a card Teams no longer has (404) holds up nothing: the change is dropped, the next ones arrive', async () => {
    const customer = fx.customer({ name: 'Gerd Gelöscht' });
    const ticketId = await openTicket(customer);
    const card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId);
    expect((await bernd.click(card, 'Claim')).status).toBe(200);
    await fx.bot.outbox.idle();
    fx.connector.failNext({ status: 404 });
    await customer.say('Erste Nachricht, deren Thread es nicht mehr gibt');
    await customer.say('Zweite Nachricht');
    await fx.connector.waitFor(() =>
      threadTexts(fx.connector, card).some((t) => t.includes('Zweite Nachricht')),
    );
    await fx.bot.outbox.idle();
    expect(fx.connector.calls.filter((c) => c.status === 404)).toHaveLength(1);
    expect(threadTexts(fx.connector, card).some((t) => t.includes('Erste Nachricht'))).toBe(false);
  });

  it('a ticket card click from outside the agent channels is refused and changes nothing', async () => {
    const customer = fx.customer({ name: 'Mallory' });
    const ticketId = await openTicket(customer);
    const forged = await customer.execute('msg-forged', { sbDesk: { op: 'resolve', ticketId } }, 'sb.desk');
    expect(forged.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    const elsewhere = anna.activity('19:otherchannel@thread.tacv2', '1', {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: { type: 'Action.Execute', verb: 'sb.desk', data: { sbDesk: { op: 'claim', ticketId } } },
      },
    });
    expect((await fx.post(elsewhere)).body).toMatchObject({ statusCode: 400 });
    expect((await fx.bot.stores.tickets.get(ticketId))?.status).toBe('queued');
  });

  it('messages in an agent channel that are not in a ticket thread are left alone', async () => {
    const customer = fx.customer({ name: 'Paula Ruhig' });
    const ticketId = await openTicket(customer);
    const card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId);
    await fx.bot.outbox.idle();
    const calls = fx.connector.calls.length;
    const top = anna.activity(GENERAL_CHANNEL, undefined, { type: 'message', text: 'Kaffee, jemand?' });
    expect((await fx.post(top)).status).toBe(200);
    const foreign = anna.activity(GENERAL_CHANNEL, '999999', {
      type: 'message',
      text: 'Antwort in fremdem Thread',
    });
    expect((await fx.post(foreign)).status).toBe(200);
    // Another bot writing in a ticket's thread is not an agent: nothing reaches the customer.
    const otherBot = anna.activity(GENERAL_CHANNEL, card.rootId, {
      type: 'message',
      text: 'Build 4711 ist grün',
    });
    (otherBot.from as { id: string }).id = '28:other-bot';
    expect((await fx.post(otherBot)).status).toBe(200);
    // Another channel of the team: consent brings every message; only one to the bot gets an answer.
    const other = '19:random0001@thread.tacv2';
    expect(
      (await fx.post(anna.activity(other, undefined, { type: 'message', text: 'Mittag?' }))).status,
    ).toBe(200);
    await fx.bot.outbox.idle();
    expect(fx.connector.calls.length).toBe(calls);
    expect((await fx.bot.stores.tickets.get(ticketId))?.events.map((e) => e.type)).not.toContain(
      'agent-message',
    );
    const mention = '<at>IT Support</at>';
    const asked = anna.activity(other, undefined, {
      type: 'message',
      text: `${mention} Mein Konto ist gesperrt`,
      entities: [{ type: 'mention', text: mention, mentioned: { id: '28:support-bot', name: 'IT Support' } }],
    });
    expect((await fx.post(asked)).status).toBe(200);
    expect(fx.connector.calls.slice(calls).map((c) => c.activity.text)).toEqual([
      expect.stringContaining('persönlichen Chat'),
    ]);
  });
});
