import { describe, expect, it } from 'vitest';
import { jsonCopy } from '../../../src/store/embedded/json-copy.ts';

const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('jsonCopy', () => {
  it('gives what a JSON round trip gives, key order included', () => {
    const conversation = {
      id: 'web:c1',
      ref: { channel: 'web', conversationId: 'web:c1', address: { nested: [1, 'two', { three: true }] } },
      customer: { id: 'c1', name: undefined },
      transcript: [
        { at: 1, from: 'customer', text: 'Hallo' },
        { at: 2, from: 'bot', text: 'Guten Tag', name: undefined },
      ],
      intake: undefined,
      pending: { kind: 'did-it-help', entryId: 'vpn' },
      score: -0,
      odd: [undefined, () => 1, Number.NaN, Number.POSITIVE_INFINITY],
      when: new Date(0),
      tags: new Set(['a']),
      fn: () => 1,
      empty: null,
    };
    const copy = jsonCopy(conversation);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(conversation));
    expect(copy).toStrictEqual(throughJson(conversation));
    expect(Object.keys(copy)).toEqual(Object.keys(throughJson(conversation) as object));
  });

  it('shares nothing mutable with the original', () => {
    const original = { transcript: [{ at: 1, text: 'a' }], ref: { address: { id: 'x' } } };
    const copy = jsonCopy(original);
    copy.transcript.push({ at: 2, text: 'b' });
    const first = copy.transcript[0];
    if (first) first.text = 'changed';
    copy.ref.address.id = 'y';
    expect(original).toEqual({ transcript: [{ at: 1, text: 'a' }], ref: { address: { id: 'x' } } });
  });

  it('fails on a cycle, as JSON does', () => {
    const looped: Record<string, unknown> = { id: 'x' };
    looped.self = looped;
    expect(() => jsonCopy(looped)).toThrow(TypeError);
  });
});
