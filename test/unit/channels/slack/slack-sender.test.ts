import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackSender } from '../../../../src/channels/slack/slack-sender.ts';
import { ManualClock } from '../../../../src/core/clock.ts';
import { DeferredDelivery } from '../../../../src/core/delivery.ts';
import { SlackApiStandIn } from '../../../support/slack-api-stand-in.ts';

const message = (text: string) => ({
  text,
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
});

describe('SlackSender', () => {
  const slack = new SlackApiStandIn();
  let clock: ManualClock;
  let slept: number[];

  beforeAll(() => slack.start());
  afterAll(() => slack.stop());
  afterEach(() => slack.clear());

  function sender(options: { maxAttempts?: number; keptRetryMs?: number; maxQueueWaitMs?: number } = {}) {
    clock = new ManualClock();
    slept = [];
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    // The fake clock: waiting moves time forward at once.
    const sleep = async (ms: number) => {
      slept.push(ms);
      clock.advance(ms);
    };
    return new SlackSender({ client, clock, sleep, ...options });
  }

  it('defers a delivery behind a long queue in its channel, each to a time of its own', async () => {
    const s = sender({ maxQueueWaitMs: 2_000 });
    const admitted = (id: string, channel = 'CBUSY'): DeferredDelivery | undefined => {
      try {
        s.admit(channel, id);
        return undefined;
      } catch (error) {
        if (error instanceof DeferredDelivery) return error;
        throw error;
      }
    };
    const start = clock.now();
    expect(admitted('card-1')).toBeUndefined();
    // Four posts queued in the channel: the next would go out four seconds from now.
    const queued = [1, 2, 3, 4].map((n) =>
      s.send({ kind: 'post', channel: 'CBUSY', message: message(`card ${n}`) }),
    );
    const first = admitted('card-5');
    const second = admitted('card-6');
    expect(first?.retryAt).toBe(start + 4_000);
    expect(second?.retryAt).toBe(start + 5_000);
    // Other channels are not held up, nor are updates (which Slack does not pace).
    expect(admitted('dm-1', 'DQUIET')).toBeUndefined();
    await Promise.all(queued);
    // The queue is gone, but deliveries deferred earlier come first: a newcomer waits behind them.
    expect(admitted('card-7')?.retryAt).toBe(start + 6_000);
    // A deferred delivery that comes back for its time goes in.
    expect(admitted('card-5')).toBeUndefined();
    expect(admitted('card-6')).toBeUndefined();
    clock.advance(start + 7_000 - clock.now());
    expect(admitted('card-8')).toBeUndefined();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(4);
  });

  it('posts a message at most once under its id: a retry after a lost answer finds the first post', async () => {
    const s = sender();
    // Slack takes the post, but its answer is lost (a timeout, a 500 from a proxy).
    slack.failNext('chat.postMessage', { kind: 'taken-then-http-error', status: 500 });
    const result = await s.send({
      kind: 'post',
      channel: 'DONCE1',
      message: message('only once'),
      once: { id: 'reply:turn-1:0', check: false },
    });
    expect(result.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['only once']);
    expect(slack.callsTo('chat.postMessage')[0]?.args.metadata).toEqual({
      event_type: 'support_bot_reply',
      event_payload: { outbox_id: 'reply:turn-1:0' },
    });
    expect(slack.callsTo('conversations.history')[0]?.args.include_all_metadata).toBe('true');
  });

  it('does not look after an answer that says Slack did not take it (429)', async () => {
    const s = sender();
    slack.failNext('chat.postMessage', { kind: 'rate-limited', retryAfterSeconds: 1 });
    const result = await s.send({
      kind: 'post',
      channel: 'DONCE3',
      message: message('throttled once'),
      once: { id: 'reply:turn-4:0', check: false },
    });
    expect(result.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.attemptsOf('conversations.history')).toEqual([]);
  });

  it('looks before a first attempt when another process may have posted it, also in a thread', async () => {
    const s = sender();
    for (const threadTs of [undefined, '1767600000.000001']) {
      const first = await s.send({
        kind: 'post',
        channel: 'DONCE2',
        threadTs,
        message: message('from the process that died'),
        once: { id: `reply:turn-2:${threadTs ?? 'dm'}`, check: false },
      });
      // The outbox gives the item to another process, which was not told whether it went out.
      const again = await s.send({
        kind: 'post',
        channel: 'DONCE2',
        threadTs,
        message: message('from the process that died'),
        once: { id: `reply:turn-2:${threadTs ?? 'dm'}`, check: true },
      });
      expect(again).toEqual(first);
    }
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
    // Another id is another message.
    await s.send({
      kind: 'post',
      channel: 'DONCE2',
      message: message('next'),
      once: { id: 'reply:turn-3:0', check: true },
    });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('keeps order per channel and spaces posts to one channel by a second', async () => {
    const s = sender();
    const results = await Promise.all([
      s.send({ kind: 'post', channel: 'C1', message: message('one') }),
      s.send({ kind: 'post', channel: 'C1', message: message('two') }),
      s.send({ kind: 'post', channel: 'C1', message: message('three') }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(slack.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['one', 'two', 'three']);
    expect(slept).toEqual([1_000, 1_000]);
  });

  it('deletes its own messages without the posting pace, and counts one already gone as deleted', async () => {
    const s = sender();
    const posted = await s.send({
      kind: 'post',
      channel: 'C1',
      threadTs: '1.1',
      message: message('in thread'),
    });
    const ts = posted.ok ? (posted.ts ?? '') : '';
    const results = await Promise.all([
      s.send({ kind: 'delete', channel: 'C1', ts }),
      s.send({ kind: 'delete', channel: 'C1', ts }),
    ]);
    expect(results).toEqual([
      { ok: true, ts },
      { ok: true, ts },
    ]);
    expect(slack.callsTo('chat.delete')).toHaveLength(1);
    expect(slack.attemptsOf('chat.delete')).toHaveLength(2);
    expect(slept).toEqual([]);
  });

  it('does not make one channel wait for another', async () => {
    const s = sender();
    await Promise.all([
      s.send({ kind: 'post', channel: 'C1', message: message('a') }),
      s.send({ kind: 'post', channel: 'C2', message: message('b') }),
    ]);
    expect(slept).toEqual([]);
  });

  it('waits as long as Retry-After says on 429, then sends', async () => {
    const s = sender();
    slack.failNext('chat.postMessage', { kind: 'rate-limited', retryAfterSeconds: 7 });
    const result = await s.send({ kind: 'post', channel: 'C1', threadTs: '1.2', message: message('hello') });
    expect(result.ok).toBe(true);
    expect(slept).toEqual([7_000]);
    expect(slack.attemptsOf('chat.postMessage')).toHaveLength(2);
    expect(slack.callsTo('chat.postMessage')[0]?.args.thread_ts).toBe('1.2');
  });

  it('gives a message that keeps failing back as failed after its round, keeping nothing', async () => {
    const s = sender({ maxAttempts: 2 });
    slack.failNext('chat.postMessage', { kind: 'http-error', status: 503 }, 2);
    const first = await s.send({ kind: 'post', channel: 'C1', message: message('first') });
    // Not parked in memory: the caller's outbox retries it; the sender holds nothing.
    expect(first).toMatchObject({ ok: false, code: 'failed' });
    expect(s.pending).toBe(0);
    expect(await s.send({ kind: 'post', channel: 'C1', message: message('first') })).toMatchObject({
      ok: true,
    });
    expect(slack.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['first']);
  });

  it('falls back to plain text when Slack refuses the blocks', async () => {
    const s = sender();
    slack.failNext('chat.postMessage', { kind: 'platform-error', error: 'invalid_blocks' });
    const result = await s.send({ kind: 'post', channel: 'C1', message: message('plain please') });
    expect(result.ok).toBe(true);
    const sent = slack.callsTo('chat.postMessage')[0];
    expect(sent?.args.text).toBe('plain please');
    expect(sent?.args.blocks).toBeUndefined();
  });

  it('tries the simpler fallback blocks first, then plain text', async () => {
    const s = sender();
    slack.failNext('chat.postMessage', { kind: 'platform-error', error: 'invalid_blocks' }, 2);
    const fallbackBlocks = [{ type: 'divider' as const }];
    const result = await s.send({
      kind: 'post',
      channel: 'C1',
      message: { ...message('x'), fallbackBlocks },
    });
    expect(result.ok).toBe(true);
    const attempts = slack.attemptsOf('chat.postMessage').map((c) => c.args.blocks);
    expect(attempts).toEqual([message('x').blocks, fallbackBlocks, undefined]);
  });

  it('gives up on a message Slack refuses for good, lists it and goes on', async () => {
    const s = sender();
    slack.failNext('chat.postMessage', { kind: 'platform-error', error: 'channel_not_found' });
    const refused = s.send({ kind: 'post', channel: 'C9', message: message('lost') });
    const next = s.send({ kind: 'post', channel: 'C9', message: message('next') });
    expect(await refused).toEqual({ ok: false, code: 'undeliverable', error: 'channel_not_found' });
    expect(await next).toMatchObject({ ok: true });
    expect(s.undeliverable.map((u) => u.error)).toEqual(['channel_not_found']);
  });

  it('gives what it was not able to send back as failed when stopped, never as refused (the outbox keeps it)', async () => {
    const s = sender();
    const first = s.send({ kind: 'post', channel: 'CSTOP', message: message('first') });
    // Behind the first, waiting for the channel's pace.
    const second = s.send({ kind: 'post', channel: 'CSTOP', message: message('second') });
    s.stop();
    const third = s.send({ kind: 'post', channel: 'CSTOP', message: message('third') });
    expect(await second).toEqual({ ok: false, code: 'failed', error: 'sender_stopped' });
    expect(await third).toEqual({ ok: false, code: 'failed', error: 'sender_stopped' });
    // The one under way finishes its attempt: sent, or failed for the outbox to retry.
    const started = await first;
    expect(started.ok || started.code === 'failed').toBe(true);
    expect(s.undeliverable).toHaveLength(0);
  });

  it('updates and ephemeral messages go through the same lane', async () => {
    const s = sender();
    await s.send({ kind: 'update', channel: 'C1', ts: '5.5', message: message('changed') });
    await s.send({ kind: 'ephemeral', channel: 'C1', user: 'U1', message: message('only you') });
    expect(slack.callsTo('chat.update')[0]?.args).toMatchObject({
      channel: 'C1',
      ts: '5.5',
      text: 'changed',
    });
    expect(slack.callsTo('chat.postEphemeral')[0]?.args).toMatchObject({ user: 'U1', text: 'only you' });
  });
});
