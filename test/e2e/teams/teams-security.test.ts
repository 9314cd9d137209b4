import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTeamsChannel } from '../../../src/channels/teams/start-teams-channel.ts';
import { cardOf, cardText, startTeamsFixture, type TeamsFixture } from './teams-fixture.ts';

describe('Teams channel without credentials and without the local flag', () => {
  let fixture: TeamsFixture;
  beforeAll(async () => {
    fixture = await startTeamsFixture({ config: { TEAMS_ALLOW_UNAUTHENTICATED: false } });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('stays off: every request gets 401 and nothing is processed', async () => {
    expect(fixture.teams.mode).toBe('off');
    const customer = fixture.customer();
    const result = await customer.say('Mein Konto ist gesperrt');
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({ error: { code: 'teams_disabled' } });
    expect(fixture.connector.calls).toEqual([]);
    expect(await fixture.bot.stores.conversations.get(customer.engineConversationId)).toBeUndefined();
  });
});

describe('Teams channel in local mode (TEAMS_ALLOW_UNAUTHENTICATED, no credentials)', () => {
  let fixture: TeamsFixture;
  beforeAll(async () => {
    fixture = await startTeamsFixture();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('refuses an activity whose serviceUrl is not loopback, and never calls it', async () => {
    const customer = fixture.customer();
    const result = await fixture.post(
      customer.activity({
        type: 'message',
        text: 'Mein Konto ist gesperrt',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
      }),
    );
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ error: { code: 'service_url_not_allowed' } });
    expect(await fixture.bot.stores.conversations.get(customer.engineConversationId)).toBeUndefined();
  });

  it('refuses malformed activities with 400', async () => {
    const customer = fixture.customer();
    const notJson = await fixture.post('{"type": "message", ');
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ error: { code: 'invalid_json' } });

    const noConversation = customer.activity({ type: 'message', text: 'hallo' });
    delete noConversation.conversation;
    const missing = await fixture.post(noConversation);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'invalid_activity' } });

    const noId = customer.activity({ type: 'message', text: 'hallo' });
    delete noId.id;
    expect((await fixture.post(noId)).status).toBe(400);
    expect((await fixture.post([1, 2, 3])).status).toBe(400);
    expect(fixture.connector.messages(customer.conversationId)).toEqual([]);
  });

  it('retries a 429 from the connector, with and without Retry-After', async () => {
    const customer = fixture.customer();
    fixture.connector.failNext({ status: 429, retryAfterSeconds: 0 }, { status: 429 });
    const result = await customer.say('Mein Konto ist gesperrt');
    expect(result.status).toBe(200);
    const calls = fixture.connector.calls.filter((c) => c.conversationId === customer.conversationId);
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(cardText(cardOf(customer.messages()[0]))).toContain('Konto gesperrt');
  });

  it('keeps replies the connector keeps refusing in the outbox and delivers them once it answers again', async () => {
    const customer = fixture.customer();
    // Three tries in the turn, then the outbox's first proactive round: all throttled.
    fixture.connector.failNext(
      { status: 429 },
      { status: 429 },
      { status: 429 },
      { status: 429 },
      { status: 429 },
      { status: 429 },
    );
    const result = await customer.say('Mein Konto ist gesperrt');
    expect(result.status).toBe(200);
    expect(customer.messages()).toEqual([]);
    expect(await fixture.bot.stores.outbox.size()).toEqual({ items: 1, retrying: 1 });

    // The outbox's retry, after its backoff (first retry within seconds).
    await vi.waitFor(() => expect(customer.messages()).toHaveLength(1), { timeout: 10_000, interval: 100 });
    const [answer] = customer.messages();
    expect(cardText(cardOf(answer))).toContain('Konto gesperrt');
    // Sent proactively: not as a reply to the customer's message.
    expect(answer?.activityId).not.toMatch(/^act-/);
    expect(answer?.authorization).toBeUndefined();
    // The connector has the message before the outbox marks it done: wait for the delivery to end.
    await fixture.bot.outbox.idle();
    expect(await fixture.bot.stores.outbox.size()).toEqual({ items: 0, retrying: 0 });
  });
});

describe('Teams channel with app credentials', () => {
  let fixture: TeamsFixture;
  beforeAll(async () => {
    fixture = await startTeamsFixture({
      config: {
        MICROSOFT_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
        MICROSOFT_APP_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        TEAMS_ALLOW_UNAUTHENTICATED: true,
      },
    });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('validates tokens: no Authorization header is 401, even with the local flag on', async () => {
    expect(fixture.teams.mode).toBe('authenticated');
    const customer = fixture.customer();
    const result = await customer.say('Mein Konto ist gesperrt');
    expect(result.status).toBe(401);
    expect(fixture.connector.calls).toEqual([]);
  });

  it('a bearer value that is not a Bot Framework token is 401', async () => {
    const customer = fixture.customer();
    const result = await fixture.post(customer.activity({ type: 'message', text: 'hallo' }), {
      Authorization: 'Bearer not-a-jwt',
    });
    expect(result.status).toBe(401);
    expect(await fixture.bot.stores.conversations.get(customer.engineConversationId)).toBeUndefined();
  });
});

describe('Teams configuration', () => {
  it('stops start-up when only part of the credentials is set, naming what is missing', async () => {
    const server = { mount: () => {} };
    await expect(
      startTeamsChannel({
        config: {
          MICROSOFT_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
          TEAMS_ALLOW_UNAUTHENTICATED: false,
        },
        engine: { handle: async () => [] },
        stores: {} as never,
        server,
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      problems: [
        expect.objectContaining({ field: 'MICROSOFT_APP_PASSWORD' }),
        expect.objectContaining({ field: 'MICROSOFT_APP_TENANT_ID' }),
      ],
    });
  });
});
