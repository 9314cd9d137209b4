import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Stores } from '../../../src/core/ports.ts';
import { startKnowledgeCuration } from '../../../src/knowledge/start-knowledge-curation.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import {
  answeredId,
  answeredVersion,
  BADGE_DRAFT,
  defaultKnowledge,
  draftOf,
  freshUnderstanding,
  STAMP_QUESTION,
  shippedEntry,
} from './curation-fixture.ts';

const url = redisTestUrl();
const prefix = uniqueRedisPrefix('knowledge-curation');
const opened: Stores[] = [];
const stops: (() => void)[] = [];

afterAll(async () => {
  for (const stop of stops) stop();
  for (const stores of opened) await stores.close();
  await deleteRedisKeys(url, prefix);
});

/** One bot process: its own Redis connections, its own Understanding, the shared key prefix. */
async function startProcess() {
  // Train first: training blocks the event loop, and Redis commands waiting meanwhile would time out.
  const understanding = await freshUnderstanding();
  const stores = await createRedisStores({ url, prefix });
  opened.push(stores);
  // No poll: the propagation under test is the pub/sub message alone.
  const running = await startKnowledgeCuration({ understanding, stores, pollMs: 0 });
  stops.push(running.stop);
  return { understanding, curation: running.curation, stores };
}

describe('knowledge edits across processes sharing one Redis', () => {
  // Three matchers are trained and rebuilt here (several seconds of CPU): on a busy two-core
  // machine that alone took close to the default 30 s.
  it('an edit through one process is answered by the other after the change message, and a third process starts with it', {
    timeout: 120_000,
  }, async () => {
    const [one, two] = [await startProcess(), await startProcess()];
    const { entries } = await defaultKnowledge();
    const hardware = shippedEntry(entries, 'hardware-request', 'de');
    expect(answeredId(two.understanding, STAMP_QUESTION)).toBeUndefined();

    const saved = await one.curation.save(
      { ...draftOf(hardware), questions: [...hardware.questions, STAMP_QUESTION] },
      { actor: 'anna' },
    );
    expect(saved.ok).toBe(true);
    expect(answeredId(one.understanding, STAMP_QUESTION)).toBe('hardware-request');
    await vi.waitFor(() => expect(answeredId(two.understanding, STAMP_QUESTION)).toBe('hardware-request'), {
      timeout: 10_000,
      interval: 50,
    });

    const retired = await two.curation.retire('teams-meeting-audio', 'en', { actor: 'ben' });
    expect(retired.ok).toBe(true);
    await vi.waitFor(() => expect(one.curation.version).toBe(2), { timeout: 10_000, interval: 50 });
    expect(answeredVersion(one.understanding, 'Nobody can hear me in Teams meetings', 'en')).not.toBe(
      'en/teams-meeting-audio',
    );

    await one.curation.save(BADGE_DRAFT, { actor: 'anna' });
    const three = await startProcess();
    expect(three.curation.version).toBe(3);
    expect(answeredId(three.understanding, 'The badge reader at reception rejects my card')).toBe(
      'badge-reader',
    );
    expect((await three.curation.history('hardware-request', 'de')).map((r) => [r.version, r.actor])).toEqual(
      [[1, 'anna']],
    );
    expect((await three.stores.audit.list()).map((a) => a.action)).toEqual([
      'faq.add',
      'faq.retire',
      'faq.edit',
    ]);
  });
});
