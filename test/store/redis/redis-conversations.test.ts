import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/core/conversation.ts';
import { LEGACY_REVISION } from '../../../src/core/ports.ts';
import { readConversation, writeRecord } from '../../../src/store/record-schemas.ts';
import type { RedisStoreOptions } from '../../../src/store/redis/redis-stores.ts';
import { redisStoreTestBed } from '../../support/redis.ts';
import { sampleConversation, TestClock } from '../../support/store-samples.ts';

const bed = redisStoreTestBed('redis-conversations');
const raw = () => bed.raw();

/** Two bot processes on one Redis: two stores on the same prefix, each with its own copies. */
async function twoProcesses(options: Partial<RedisStoreOptions> = {}) {
  const prefix = bed.nextPrefix();
  const warnings: string[] = [];
  return {
    a: await bed.open(prefix, options, warnings),
    b: await bed.open(prefix, options, warnings),
    key: (id: string) => `${prefix}{conv:${id}}`,
    warnings,
  };
}

const at = new TestClock().now();
const said = (conversation: Conversation, text: string): Conversation => ({
  ...conversation,
  transcript: [...conversation.transcript, { at, from: 'customer', text }],
});

describe('redis conversations: the copy a process keeps of its own writes', () => {
  it('reads what another process wrote since, turn after turn, in both directions', async () => {
    const { a, b } = await twoProcesses();
    let conversation = sampleConversation('web:alternating', at);
    await a.conversations.put(conversation);
    for (let turn = 0; turn < 6; turn++) {
      const [reader, writer] = turn % 2 === 0 ? [b, a] : [a, b];
      const read = await reader.conversations.get('web:alternating');
      expect(read).toEqual(conversation);
      conversation = said(read as Conversation, `Nachricht ${turn}`);
      await reader.conversations.put(conversation);
      expect(await writer.conversations.get('web:alternating')).toEqual(conversation);
    }
    expect(conversation.transcript).toHaveLength(7);
  });

  it('sees a delete by another process, and the key expiring in Redis', async () => {
    const { a, b, key } = await twoProcesses();
    await a.conversations.put(sampleConversation('web:deleted', at));
    await a.conversations.put(sampleConversation('web:expired', at));
    await b.conversations.delete('web:deleted');
    await raw().pexpire(key('web:expired'), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await a.conversations.get('web:deleted')).toBeUndefined();
    expect(await a.conversations.get('web:expired')).toBeUndefined();
  });

  it('validates a record written by anyone else, even over its own write', async () => {
    const { a, key, warnings } = await twoProcesses();
    await a.conversations.put(sampleConversation('web:tampered', at));
    const bad = { ...sampleConversation('web:tampered', at), owner: 'nobody' };
    await raw().set(key('web:tampered'), writeRecord(bad, at + 60_000));
    expect(await a.conversations.get('web:tampered')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/web:tampered is unreadable.*owner/);
  });

  it('reads records without a revision, as an older version writes them', async () => {
    const { a, key } = await twoProcesses();
    const older = sampleConversation('web:older', at, { owner: 'queued', ticketId: 'SUP-1001' });
    await a.conversations.put(sampleConversation('web:older', at));
    await raw().set(key('web:older'), writeRecord(older, at + 60_000));
    expect(await a.conversations.get('web:older')).toEqual({ ...older, revision: LEGACY_REVISION });
  });

  it('writes records an older version reads: the envelope it knows, the lines beside it in a list', async () => {
    const { a, key } = await twoProcesses();
    const conversation = sampleConversation('web:newer', at);
    await a.conversations.put(conversation);
    const envelope = JSON.parse((await raw().get(key('web:newer'))) as string);
    // An older version reads a valid conversation without history, never an unreadable one.
    const { revision, ...fields } = conversation;
    expect(envelope).toMatchObject({
      v: 1,
      exp: expect.any(Number),
      lines: 1,
      data: { ...fields, transcript: [] },
    });
    // The revision is in the head only.
    expect(envelope.rev).toBe(revision);
    expect(envelope.data.revision).toBeUndefined();
    expect(readConversation((await raw().get(key('web:newer'))) as string).ok).toBe(true);
    expect(envelope.rev).toEqual(expect.any(String));
    const lines = await raw().lrange(`${key('web:newer')}:lines`, 0, -1);
    expect(lines.map((line) => JSON.parse(line))).toEqual(conversation.transcript);
    expect(await raw().pttl(`${key('web:newer')}:lines`)).toBeGreaterThan(0);
  });

  it("appends a turn's new lines to the list, and drops lines the transcript lost at the front", async () => {
    const { a, b, key } = await twoProcesses();
    const list = `${key('web:append')}:lines`;
    await a.conversations.put(sampleConversation('web:append', at));
    let conversation = (await a.conversations.get('web:append')) as Conversation;
    const marker = 'marker: not written again';
    // Changed in Redis behind the process's back: only an appending write leaves it as it is.
    await raw().lset(list, 0, JSON.stringify({ at, from: 'customer', text: marker }));
    conversation = said(said(conversation, 'zwei'), 'drei');
    await a.conversations.put(conversation);
    expect((await raw().lrange(list, 0, -1)).map((line) => JSON.parse(line).text)).toEqual([
      marker,
      'zwei',
      'drei',
    ]);

    const capped = (await a.conversations.get('web:append')) as Conversation;
    capped.transcript.splice(0, 2);
    await a.conversations.put(said(capped, 'vier'));
    expect((await raw().lrange(list, 0, -1)).map((line) => JSON.parse(line).text)).toEqual(['drei', 'vier']);
    expect((await b.conversations.get('web:append'))?.transcript.map((line) => line.text)).toEqual([
      'drei',
      'vier',
    ]);
  });

  it('refuses a write made on what another process has changed since: its write stands, nothing is undone', async () => {
    const { a, b } = await twoProcesses();
    await a.conversations.put(sampleConversation('web:race', at));
    const readByA = (await a.conversations.get('web:race')) as Conversation;
    const readByB = (await b.conversations.get('web:race')) as Conversation;
    expect(
      await b.conversations.put({ ...said(readByB, 'von B'), owner: 'agent', ticketId: 'SUP-1001' }),
    ).toBe('written');
    // A's own copy is from before B's write: appending must not go through, nor a whole write.
    expect(await a.conversations.put(said(readByA, 'von A'))).toBe('conflict');
    const stored = (await a.conversations.get('web:race')) as Conversation;
    expect(stored.transcript.map((line) => line.text)).toEqual([readByA.transcript[0]?.text, 'von B']);
    expect(stored.owner).toBe('agent');
    // Changed on what is stored now, it goes through.
    expect(await a.conversations.put(said(stored, 'von A'))).toBe('written');
    expect((await b.conversations.get('web:race'))?.transcript.at(-1)?.text).toBe('von A');
  });

  it("reads an older version's record with the transcript inline, and writes it in this layout", async () => {
    const { a, b, key } = await twoProcesses();
    const older = said(sampleConversation('web:inline', at), 'zweite Zeile');
    await raw().set(key('web:inline'), writeRecord(older, at + 60_000));
    const read = (await a.conversations.get('web:inline')) as Conversation;
    expect(read).toEqual({ ...older, revision: LEGACY_REVISION });
    await a.conversations.put(said(read, 'dritte Zeile'));
    expect(await raw().llen(`${key('web:inline')}:lines`)).toBe(3);
    expect((await b.conversations.get('web:inline'))?.transcript).toHaveLength(3);
  });

  it('hands out lines that cannot be changed by mistake', async () => {
    const { a } = await twoProcesses();
    await a.conversations.put(sampleConversation('web:frozen', at));
    const read = (await a.conversations.get('web:frozen')) as Conversation;
    expect(() => {
      (read.transcript[0] as { text: string }).text = 'anders';
    }).toThrow(TypeError);
  });

  it('uses its copy only while Redis holds that very write (same revision), and not once it is evicted', async () => {
    // A record behind this process's own head is taken as its own write: the copy answers.
    const kept = await twoProcesses();
    await kept.a.conversations.put(sampleConversation('web:own', at));
    const head = ((await raw().get(kept.key('web:own'))) as string).split('"data":')[0];
    await raw().set(kept.key('web:own'), `${head}"data":{"not":"a conversation"}}`);
    expect((await kept.a.conversations.get('web:own'))?.id).toBe('web:own');

    // With room for no copies, every read is the record itself, validated.
    const none = await twoProcesses({ conversationCacheChars: 0 });
    await none.a.conversations.put(sampleConversation('web:own', at));
    const noneHead = ((await raw().get(none.key('web:own'))) as string).split('"data":')[0];
    await raw().set(none.key('web:own'), `${noneHead}"data":{"not":"a conversation"}}`);
    expect(await none.a.conversations.get('web:own')).toBeUndefined();
    expect(none.warnings).toHaveLength(1);
  });

  it('keeps copies up to its size, least recently used out first', async () => {
    const one = JSON.stringify(sampleConversation('web:lru-1', at)).length;
    const { a, key, warnings } = await twoProcesses({ conversationCacheChars: 2 * one + 10 });
    for (const id of ['web:lru-1', 'web:lru-2']) await a.conversations.put(sampleConversation(id, at));
    await a.conversations.get('web:lru-1');
    await a.conversations.put(sampleConversation('web:lru-3', at));
    // web:lru-2 was used least recently: its copy is gone, so a bad record behind its head shows.
    for (const id of ['web:lru-1', 'web:lru-2', 'web:lru-3']) {
      const head = ((await raw().get(key(id))) as string).split('"data":')[0];
      await raw().set(key(id), `${head}"data":{"not":"a conversation"}}`);
    }
    expect((await a.conversations.get('web:lru-1'))?.id).toBe('web:lru-1');
    expect(await a.conversations.get('web:lru-2')).toBeUndefined();
    expect((await a.conversations.get('web:lru-3'))?.id).toBe('web:lru-3');
    expect(warnings).toHaveLength(1);
  });

  it('hands out a new object on every read of its copy', async () => {
    const { a } = await twoProcesses();
    await a.conversations.put(sampleConversation('web:fresh', at));
    const first = await a.conversations.get('web:fresh');
    first?.transcript.push({ at, from: 'bot', text: 'nur hier' });
    if (first) first.owner = 'agent';
    expect(await a.conversations.get('web:fresh')).toEqual({
      ...sampleConversation('web:fresh', at),
      revision: expect.any(String),
    });
  });
});
