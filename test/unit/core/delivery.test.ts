import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { ConversationLocks } from '../../../src/core/conversation-locks.ts';
import { DeliveryRouter, type ReplySink } from '../../../src/core/delivery.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { ConversationRef } from '../../../src/core/turn.ts';

const ref = (id: string): ConversationRef => ({ channel: 'web', conversationId: id, address: {} });
const notice = (text: string): Reply => ({ type: 'notice', text, actions: [], language: 'en' });

class FlakySink implements ReplySink {
  readonly got: string[] = [];
  down = false;
  async deliver(target: ConversationRef, replies: Reply[]): Promise<void> {
    if (this.down) throw Object.assign(new Error('503 from platform'), { code: 'platform_unavailable' });
    for (const r of replies) this.got.push(`${target.conversationId}:${r.text}`);
  }
}

describe('delivery router', () => {
  it('routes by channel and delivers at once', async () => {
    const router = new DeliveryRouter();
    const web = new FlakySink();
    router.register('web', web);
    await router.deliver(ref('a'), [notice('hello')]);
    expect(web.got).toEqual(['a:hello']);
    expect(await router.pendingCount()).toBe(0);
  });

  it('keeps failed deliveries and retries them in order; later ones queue behind', async () => {
    const clock = new ManualClock();
    const router = new DeliveryRouter({ clock, baseBackoffMs: 1000 });
    const web = new FlakySink();
    router.register('web', web);
    web.down = true;
    await router.deliver(ref('a'), [notice('one')]);
    web.down = false;
    // The channel is back, but "two" must not overtake "one".
    await router.deliver(ref('a'), [notice('two')]);
    await router.deliver(ref('b'), [notice('other')]);
    expect(web.got).toEqual(['b:other']);
    expect(await router.pendingCount()).toBe(2);
    await router.retryDue();
    expect(web.got).toEqual(['b:other']);
    clock.advance(1000);
    await router.retryDue();
    expect(web.got).toEqual(['b:other', 'a:one', 'a:two']);
    expect(await router.pendingCount()).toBe(0);
  });

  it('holds replies for a channel that is not registered yet and sends them when it is', async () => {
    const router = new DeliveryRouter();
    await router.deliver(ref('s'), [{ ...notice('later'), language: 'de' }]);
    expect(await router.pendingCount()).toBe(1);
    const web = new FlakySink();
    router.register('web', web);
    await router.retryDue(true);
    expect(web.got).toEqual(['s:later']);
  });
});

describe('conversation locks', () => {
  it('runs work of one conversation one after the other, even when one fails', async () => {
    const locks = new ConversationLocks();
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = locks.run('c', async () => {
      order.push('first:start');
      await gate;
      order.push('first:end');
      throw new Error('first failed');
    });
    const second = locks.run('c', async () => {
      order.push('second');
      return 2;
    });
    const other = locks.run('d', async () => {
      order.push('other');
    });
    await other;
    expect(order).toEqual(['first:start', 'other']);
    release();
    await expect(first).rejects.toThrow('first failed');
    expect(await second).toBe(2);
    expect(order).toEqual(['first:start', 'other', 'first:end', 'second']);
    expect(locks.busy).toBe(0);
  });
});
