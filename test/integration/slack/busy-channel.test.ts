import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackReplySink } from '../../../src/channels/slack/slack-reply-sink.ts';
import { SlackSender } from '../../../src/channels/slack/slack-sender.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { ConversationRef } from '../../../src/core/turn.ts';
import { OutboxPump } from '../../../src/delivery/outbox-pump.ts';
import { OutboxReplySink } from '../../../src/delivery/outbox-reply-sink.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { SlackApiStandIn } from '../../support/slack-api-stand-in.ts';

const notice = (text: string): Reply => ({ type: 'notice', text, actions: [], language: 'de' });
const slackRef = (channel: string, threadTs?: string): ConversationRef => ({
  channel: 'slack',
  conversationId: threadTs ? `slack:T1:${channel}:${threadTs}` : `slack:T1:${channel}`,
  address: threadTs ? { team: 'T1', channel, threadTs } : { team: 'T1', channel },
});

describe('a busy Slack channel and the outbox', () => {
  const slack = new SlackApiStandIn();
  beforeAll(() => slack.start());
  afterAll(() => slack.stop());

  it("does not hold up another customer's reply: deliveries behind the channel's pace are deferred", async () => {
    const stores = await createEmbeddedStores({});
    // Slack's pace, faster for the test: one post per 300 ms per channel (slow enough that a
    // loaded machine's delays do not reorder the posts).
    const sender = new SlackSender({
      client: new webApi.WebClient('xoxb-test', {
        slackApiUrl: slack.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      }),
      clock: systemClock,
      perChannelIntervalMs: 300,
      maxQueueWaitMs: 300,
    });
    // Four deliveries at once, few enough for one channel's queue to take every one.
    const pump = new OutboxPump({ outbox: stores.outbox, consumer: 'p1', log: silentLogger, batch: 4 });
    const replies = new OutboxReplySink(stores.outbox, pump, new SlackReplySink(sender), 0);
    try {
      // Ten ticket threads in the agents' channel, each with a message, then one customer's DM.
      for (let n = 0; n < 10; n++)
        await replies.deliver(slackRef('CAGENTS', `1700000000.00000${n}`), [notice(`Thread ${n}`)]);
      await replies.deliver(slackRef('DCUSTOMER'), [notice('Ihre Antwort')]);
      pump.start();
      const posted = () => slack.callsTo('chat.postMessage').map((c) => String(c.args.text));
      await expect.poll(posted, { timeout: 10_000 }).toHaveLength(11);
      // Before, the DM waited until nearly every thread message had gone out at the channel's pace.
      expect(posted().indexOf('Ihre Antwort')).toBeLessThanOrEqual(3);
      // Every thread message once, in the order the channel could take them.
      expect(
        posted()
          .filter((t) => t.startsWith('Thread'))
          .sort(),
      ).toEqual(Array.from({ length: 10 }, (_, n) => `Thread ${n}`));
      // The last post is visible at Slack a moment before the outbox records it done.
      await expect.poll(() => stores.outbox.size()).toEqual({ items: 0, retrying: 0 });
    } finally {
      await pump.stop();
      await stores.close();
    }
  });
});
