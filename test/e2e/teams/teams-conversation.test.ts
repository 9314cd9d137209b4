import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buttonFor,
  cardOf,
  cardText,
  executeActions,
  inputIds,
  startTeamsFixture,
  type TeamsFixture,
} from './teams-fixture.ts';
import { answerFor, completeIntake } from './teams-intake-driver.ts';

let fixture: TeamsFixture;

beforeAll(async () => {
  fixture = await startTeamsFixture();
});

afterAll(async () => {
  await fixture?.close();
});

type Json = Record<string, unknown>;

function invokeCard(body: unknown): Json {
  const response = body as { statusCode: number; type: string; value: Json };
  expect(response.statusCode).toBe(200);
  expect(response.type).toBe('application/vnd.microsoft.card.adaptive');
  return response.value;
}

describe('Teams customer in personal chat', () => {
  it('answers an FAQ question with an Adaptive Card that replies to the message, without any token', async () => {
    const customer = fixture.customer();
    const result = await customer.say('Mein Konto ist gesperrt');
    expect(result.status).toBe(200);

    const [answer] = customer.messages();
    expect(answer?.activityId).toMatch(/^act-/);
    expect(answer?.authorization).toBeUndefined();
    const card = cardOf(answer);
    expect(card?.version).toBe('1.5');
    expect(cardText(card)).toContain('Konto gesperrt nach zu vielen Fehlversuchen');
    expect(cardText(card)).toContain('Hat das geholfen?');
    expect(answer?.activity.channelData).toEqual({ feedbackLoopEnabled: true });
    const titles = executeActions(card).map((a) => a.title);
    expect(titles).toEqual(expect.arrayContaining(['Ja, hat geholfen', 'Nein', 'Mit einer Person sprechen']));
  });

  it('answers in English for an English question', async () => {
    const customer = fixture.customer({ name: 'John Doe', locale: 'en-US' });
    await customer.say('How do I reset my password?');
    const card = cardOf(customer.messages()[0]);
    expect(cardText(card)).toContain('Did this help?');
    expect(executeActions(card).map((a) => a.title)).toContain('Talk to a person');
  });

  it('"Yes, that helped" updates the card in place and stores the feedback', async () => {
    const customer = fixture.customer();
    await customer.say('Mein Konto ist gesperrt');
    const answer = customer.messages()[0];
    const yes = buttonFor(cardOf(answer), (a) => a.type === 'feedback' && a.helpful === true);
    expect(yes).toBeDefined();

    const result = await customer.execute(answer?.createdId as string, yes?.data ?? {});
    expect(result.status).toBe(200);
    const updated = invokeCard(result.body);
    expect(executeActions(updated)).toEqual([]);
    expect(cardText(updated)).toContain('✓ Ja, hat geholfen');
    expect(cardText(updated)).toContain('Konto gesperrt nach zu vielen Fehlversuchen');

    const thanks = customer.messages()[1];
    expect(thanks?.activity.text).toContain('Danke für Ihre Rückmeldung');
    const feedback = await fixture.bot.stores.feedback.list(50);
    expect(
      feedback.some(
        (f) =>
          f.conversationId === customer.engineConversationId && f.helpful && f.entryId === 'account-locked',
      ),
    ).toBe(true);
  });

  it("Teams' own 👎 with a comment stores the reason, offers a person and redraws the answer via PUT", async () => {
    const customer = fixture.customer();
    await customer.say('Mein Konto ist gesperrt');
    const answer = customer.messages()[0];
    const result = await customer.feedback(
      answer?.createdId as string,
      'dislike',
      'Die Sperre dauert bei mir länger',
    );
    expect(result.status).toBe(200);

    const stored = (await fixture.bot.stores.feedback.list(50)).find(
      (f) => f.conversationId === customer.engineConversationId,
    );
    expect(stored).toMatchObject({
      helpful: false,
      reason: 'Die Sperre dauert bei mir länger',
      entryId: 'account-locked',
    });
    const offer = cardOf(customer.messages()[1]);
    expect(buttonFor(offer, (a) => a.type === 'talk-to-person')).toBeDefined();

    const [update] = fixture.connector.updates(customer.conversationId);
    expect(update?.activityId).toBe(answer?.createdId);
    const redrawn = cardOf(update);
    expect(cardText(redrawn)).toContain('✓ Rückmeldung: nicht hilfreich');
    expect(executeActions(redrawn)).toEqual([]);
  });

  it('a related entry clicked through Action.Submit is answered and the old card updated with PUT', async () => {
    const customer = fixture.customer();
    await customer.say('Mein Konto ist gesperrt');
    const answer = customer.messages()[0];
    const related = buttonFor(cardOf(answer), (a) => a.type === 'show-entry');
    expect(related).toBeDefined();

    const result = await customer.submit(answer?.createdId as string, related?.data ?? {});
    expect(result.status).toBe(200);
    const next = cardOf(customer.messages()[1]);
    expect(cardText(next)).toContain(related?.title);
    const [update] = fixture.connector.updates(customer.conversationId);
    expect(update?.activityId).toBe(answer?.createdId);
    expect(cardText(cardOf(update))).toContain(`✓ ${related?.title}`);
  });

  it('takes a problem down with cards, shows validation messages, and confirms the ticket', async () => {
    const customer = fixture.customer();
    await customer.say('Ich möchte mit einem Menschen sprechen');
    const ask = customer.messages().find((m) => inputIds(cardOf(m)).length === 1);
    expect(ask).toBeDefined();
    const askCard = cardOf(ask);
    const field = (inputIds(askCard)[0] as string).replace('sb_field_', '');
    expect(executeActions(askCard).map((a) => a.title)).toEqual(
      expect.arrayContaining(['Senden', 'Formular ausfüllen']),
    );

    // Too short: the engine says why, in the attention colour, and asks again.
    const send = executeActions(askCard).find((a) => a.verb === 'sb.form');
    const before = customer.messages().length;
    const tooShort = await customer.execute(
      ask?.createdId as string,
      { ...send?.data, [`sb_field_${field}`]: 'x' },
      'sb.form',
    );
    expect(cardText(invokeCard(tooShort.body))).toContain('✓ x');
    const again = cardOf(customer.messages()[before]);
    expect(JSON.stringify(again)).toContain('"color":"attention"');
    expect(cardText(again)).toMatch(/⚠ .*mindestens/);

    const ticketMessage = await completeIntake(customer, before);
    const ticketCard = cardOf(ticketMessage);
    const text = cardText(ticketCard);
    expect(text).toMatch(/Ticket SUP-\d+/);
    expect(text).toContain('Team: Allgemeiner Support');
    expect(text).toMatch(/Platz in der Warteschlange: \d+/);
    const ticketId = /SUP-\d+/.exec(text)?.[0] as string;
    const ticket = await fixture.bot.stores.tickets.get(ticketId);
    expect(ticket?.conversation.channel).toBe('teams');
    // The tenant of the activity comes along: it tells the customer's organisation.
    expect(ticket?.customer).toEqual({
      id: `teams:${customer.aadObjectId}`,
      name: customer.name,
      identity: { teamsTenant: 'tenant-1' },
    });
    expect(ticket?.details.contact).toBe(answerFor('contact'));
  });

  it('"Fill in a form" turns the question into the whole intake form; sending it opens the ticket', async () => {
    const customer = fixture.customer();
    await customer.say('Ich möchte mit einem Menschen sprechen');
    const ask = customer.messages().find((m) => inputIds(cardOf(m)).length === 1);
    const open = executeActions(cardOf(ask)).find((a) => a.verb === 'sb.openForm');
    expect(open).toBeDefined();

    const opened = await customer.execute(ask?.createdId as string, open?.data ?? {}, 'sb.openForm');
    const form = invokeCard(opened.body);
    expect(inputIds(form)).toEqual([
      'sb_field_summary',
      'sb_field_system',
      'sb_field_error',
      'sb_field_since',
      'sb_field_impact',
      'sb_field_urgency',
      'sb_field_contact',
    ]);
    const submit = executeActions(form).find((a) => a.verb === 'sb.form');
    const before = customer.messages().length;
    const sent = await customer.execute(
      ask?.createdId as string,
      {
        ...submit?.data,
        sb_field_summary: 'VPN verbindet sich nicht mehr seit dem Update',
        sb_field_system: 'VPN',
        sb_field_error: '',
        sb_field_since: 'seit gestern',
        sb_field_impact: 'team',
        sb_field_urgency: 'blocks',
        sb_field_contact: '+49 30 1234567',
      },
      'sb.form',
    );
    const receipt = cardText(invokeCard(sent.body));
    expect(receipt).toContain('Betroffene: Ein Team');
    expect(receipt).toContain('✓ Gesendet');
    const fresh = customer.messages().slice(before);
    const ticketText = fresh.map((m) => cardText(cardOf(m))).join('\n');
    expect(ticketText).toMatch(/Ticket SUP-\d+/);
    expect(ticketText).toContain('Priorität: P2');
  });

  it('a form card sent after the intake was cancelled still opens the ticket directly', async () => {
    const customer = fixture.customer();
    await customer.say('Ich möchte mit einem Menschen sprechen');
    const ask = customer.messages().find((m) => inputIds(cardOf(m)).length === 1);
    const open = executeActions(cardOf(ask)).find((a) => a.verb === 'sb.openForm');
    const opened = await customer.execute(ask?.createdId as string, open?.data ?? {}, 'sb.openForm');
    const submit = executeActions(invokeCard(opened.body)).find((a) => a.verb === 'sb.form');
    await customer.say('abbrechen');
    expect((await fixture.bot.stores.conversations.get(customer.engineConversationId))?.owner).toBe('bot');

    const before = customer.messages().length;
    await customer.execute(
      ask?.createdId as string,
      {
        ...submit?.data,
        sb_field_summary: 'Drucker im 3. OG druckt nur leere Seiten',
        sb_field_system: 'Drucker',
        sb_field_error: '',
        sb_field_since: 'seit heute',
        sb_field_impact: 'one',
        sb_field_urgency: 'hinders',
        sb_field_contact: 'erika@example.com',
      },
      'sb.form',
    );
    const fresh = customer.messages().slice(before);
    const ticketText = fresh.map((m) => cardText(cardOf(m))).join('\n');
    expect(ticketText).toMatch(/Ticket SUP-\d+/);
    // Nothing else was asked: the form was enough.
    expect(fresh).toHaveLength(1);
    const conversation = await fixture.bot.stores.conversations.get(customer.engineConversationId);
    expect(conversation?.owner).toBe('queued');
  });

  it('greets a customer who adds the app, in their language', async () => {
    const customer = fixture.customer({ locale: 'en-US' });
    const result = await fixture.post(
      customer.activity({
        type: 'conversationUpdate',
        membersAdded: [{ id: '28:support-bot' }, { id: customer.userId }],
      }),
    );
    expect(result.status).toBe(200);
    expect(customer.messages()[0]?.activity.text).toContain("I'm the support assistant");
  });

  it('handles a message Teams delivers twice only once', async () => {
    const customer = fixture.customer();
    const activity = customer.activity({ type: 'message', text: 'Mein Konto ist gesperrt' });
    expect((await fixture.post(activity)).status).toBe(200);
    expect((await fixture.post(activity)).status).toBe(200);
    expect(customer.messages()).toHaveLength(1);
  });

  it('tells apart messages of two chats that carry the same Teams message id', async () => {
    const first = fixture.customer();
    const second = fixture.customer();
    const id = String(Date.now());
    await fixture.post(first.activity({ type: 'message', id, text: 'Mein Konto ist gesperrt' }));
    await fixture.post(second.activity({ type: 'message', id, text: 'Mein Konto ist gesperrt' }));
    expect(first.messages()).toHaveLength(1);
    expect(second.messages()).toHaveLength(1);
  });

  it('asks to move to personal chat when written to in a group chat', async () => {
    const customer = fixture.customer();
    const activity = customer.activity({ type: 'message', text: 'Mein Konto ist gesperrt' });
    (activity.conversation as Json).conversationType = 'groupChat';
    await fixture.post(activity);
    expect(customer.messages()[0]?.activity.text).toContain('persönlichen Chat');
    expect(await fixture.bot.stores.conversations.get(customer.engineConversationId)).toBeUndefined();
  });

  it('answers an unknown card action with an error response and changes nothing', async () => {
    const customer = fixture.customer();
    const result = await customer.execute('msg-unknown', { sbAction: { type: 'explode', label: 'x' } });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    expect(customer.messages()).toHaveLength(0);
  });
});
