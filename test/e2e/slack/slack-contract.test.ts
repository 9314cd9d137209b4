import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../src/channels/slack/slack-signature.ts';
import { CUSTOMER, DM, SIGNING_SECRET, TEAM, useSlackFixture } from './slack-fixture.ts';

/** Slack's side of the contract: signatures, acks, retries, bots, Retry-After. */
describe('Slack request contract', () => {
  const fx = useSlackFixture();

  const dmEvent = (text: string) => ({
    type: 'message',
    channel_type: 'im',
    channel: DM,
    user: CUSTOMER,
    text,
    ts: fx.nextTs(),
  });

  it('answers the URL verification challenge', async () => {
    const res = await fx.post(
      JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ challenge: 'c-123' });
  });

  it('refuses a bad signature with 401 and does nothing', async () => {
    const body = fx.eventBody(dmEvent('Ich habe mein Passwort vergessen'));
    const res = await fx.post(body, 'application/json', { signature: `v0=${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    const forged = await fx.post(body, 'application/json', {
      signature: signSlackRequest('not-the-secret', Math.floor(fx.clock.now() / 1000), body),
    });
    expect(forged.status).toBe(401);
    await fx.settle();
    expect(fx.slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('refuses a stale (replayed) request with 401 and does nothing', async () => {
    const body = fx.eventBody(dmEvent('Ich habe mein Passwort vergessen'));
    const old = Math.floor(fx.clock.now() / 1000) - 6 * 60;
    const res = await fx.post(body, 'application/json', {
      timestamp: old,
      signature: signSlackRequest(SIGNING_SECRET, old, body),
    });
    expect(res.status).toBe(401);
    await fx.settle();
    expect(fx.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('refuses a request whose body was changed after signing', async () => {
    const body = fx.eventBody(dmEvent('hallo'));
    const ts = Math.floor(fx.clock.now() / 1000);
    const signature = signSlackRequest(SIGNING_SECRET, ts, body);
    const res = await fx.post(body.replace('hallo', 'tschüss'), 'application/json', {
      timestamp: ts,
      signature,
    });
    expect(res.status).toBe(401);
  });

  it('acks at once and answers a DM after the ack', async () => {
    const res = await fx.event(dmEvent('Ich habe mein Passwort vergessen'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const [answer] = await fx.slack.waitFor('chat.postMessage', (c) => c.args.channel === DM);
    expect(JSON.stringify(answer?.args.blocks)).toContain('feedback_buttons');
  });

  it('answers a retried event (X-Slack-Retry-Num) only once', async () => {
    const event = dmEvent('Wie richte ich VPN ein?');
    const first = await fx.event(event, { eventId: 'EvRETRY1' });
    const retry = await fx.event(event, {
      eventId: 'EvRETRY1',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    const again = await fx.event(event, {
      eventId: 'EvRETRY1',
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' },
    });
    expect([first.status, retry.status, again.status]).toEqual([200, 200, 200]);
    await fx.settle();
    expect(fx.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === DM)).toHaveLength(1);
  });

  it('ignores other bots and its own messages', async () => {
    await fx.event({
      ...dmEvent('Ich habe mein Passwort vergessen'),
      bot_id: 'B0OTHER',
      subtype: 'bot_message',
    });
    await fx.event({ ...dmEvent('Ich habe mein Passwort vergessen'), bot_id: 'B0OTHER' });
    await fx.event({
      ...dmEvent('Ich habe mein Passwort vergessen'),
      user: fx.slack.identity.botUserId,
      bot_id: fx.slack.identity.botId,
    });
    await fx.settle();
    expect(fx.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('ignores edits, deletions and joins', async () => {
    await fx.event({ ...dmEvent('Ich habe mein Passwort vergessen'), subtype: 'message_changed' });
    await fx.event({ ...dmEvent(''), subtype: 'channel_join' });
    await fx.settle();
    expect(fx.slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('waits out a 429 with Retry-After, then delivers the reply once', async () => {
    fx.waits.length = 0;
    fx.slack.failNext('chat.postMessage', { kind: 'rate-limited', retryAfterSeconds: 3 });
    await fx.event(dmEvent('Ich habe mein Passwort vergessen'));
    await fx.settle();
    expect(fx.slack.attemptsOf('chat.postMessage')).toHaveLength(2);
    expect(fx.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fx.waits).toContain(3_000);
  });

  it('keeps a reply Slack cannot take yet in the outbox and sends it later, once, not dropping it', async () => {
    fx.slack.failNext('chat.postMessage', { kind: 'http-error', status: 503 }, 5);
    await fx.event(dmEvent('Wie richte ich VPN ein?'));
    await fx.settle();
    // Slack's round (four tries) is used up: the reply waits in the outbox for its retry.
    expect(fx.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect((await fx.bot.stores.outbox.size()).retrying).toBe(1);
    fx.clock.advance(60_000);
    await fx.settle();
    expect(fx.slack.attemptsOf('chat.postMessage').length).toBeGreaterThanOrEqual(6);
    expect(fx.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await fx.bot.stores.outbox.size()).toEqual({ items: 0, retrying: 0 });
  });

  it('answers Slack’s SSL check without doing anything', async () => {
    const res = await fetch(`${fx.server.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `ssl_check=1&token=x&team_id=${TEAM}`,
    });
    expect(res.status).toBe(200);
    expect(fx.slack.calls).toEqual([]);
  });
});
