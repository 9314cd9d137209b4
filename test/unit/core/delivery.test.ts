import { describe, expect, it } from 'vitest';
import { DeliveryRouter, type ReplySink } from '../../../src/core/delivery.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { ConversationRef } from '../../../src/core/turn.ts';

const ref = (channel: ConversationRef['channel'], id: string): ConversationRef => ({
  channel,
  conversationId: id,
  address: {},
});
const notice = (text: string): Reply => ({ type: 'notice', text, actions: [], language: 'en' });

class RecordingSink implements ReplySink {
  readonly got: string[] = [];
  down = false;
  async deliver(target: ConversationRef, replies: Reply[]): Promise<void> {
    if (this.down) throw new Error('503 from platform');
    for (const r of replies) this.got.push(`${target.conversationId}:${r.text}`);
  }
}

describe('delivery router', () => {
  it("hands replies to the sink of the conversation's channel", async () => {
    const router = new DeliveryRouter();
    const web = new RecordingSink();
    const slack = new RecordingSink();
    router.register('web', web);
    router.register('slack', slack);
    await router.deliver(ref('web', 'a'), [notice('hello')]);
    await router.deliver(ref('slack', 'b'), [notice('hi')]);
    expect(web.got).toEqual(['a:hello']);
    expect(slack.got).toEqual(['b:hi']);
  });

  it('rejects when the channel is not registered or its sink fails, so the outbox keeps the replies', async () => {
    const router = new DeliveryRouter();
    await expect(router.deliver(ref('teams', 'x'), [notice('hello')])).rejects.toMatchObject({
      code: 'no_channel',
    });
    const web = new RecordingSink();
    web.down = true;
    router.register('web', web);
    await expect(router.deliver(ref('web', 'a'), [notice('hello')])).rejects.toThrow('503 from platform');
  });
});
