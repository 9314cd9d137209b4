import fc from 'fast-check';
import { expect } from 'vitest';
import type { Action } from '../../src/core/action.ts';
import type { Reply } from '../../src/core/reply.ts';

/**
 * Adversarial input for the hostile-input suites: what attackers and broken clients send. Each
 * channel's suite runs these through the real adapter (Bolt, botbuilder, the web API) and the
 * engine, and checks that the answer is a clear 4xx or a safe reply, never a crash or a 5xx.
 */
const SNIPPETS = [
  '\u202e', // right-to-left override
  '\u202d\u2066\u2069',
  '\u0000',
  '\u0007\u001b[31m',
  '\ud800', // lone high surrogate
  '\udc00', // lone low surrogate
  '\u200b\u200c\u200d\u2060\ufeff',
  '\u3164',
  '<!channel>',
  '<!here|here>',
  '<@U12345>',
  '<https://evil.example|Ihre Bank>',
  '`<!everyone>`',
  '```\n<!channel>\n```',
  '[Passwort](https://evil.example)',
  '[x](javascript:alert(1))',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection string, literal on purpose.
  '${jndi:ldap://x}',
  '*bold* _it_ ~strike~ > quote',
  'SUP-999999999999999',
  'abbrechen',
  'Ich möchte mit einem Menschen sprechen',
  'ja',
  '5',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'مرحبا بالعالم',
  'Ａｄｍｉｎ',
  '\r\n\r\n',
  ' '.repeat(50),
  '%00%0d%0a',
  '__proto__',
  'constructor',
];

/** Text as a hostile customer types it: random Unicode, markup of every platform, edge characters. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc
    .array(fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 20 })), { maxLength: 12 })
    .map((p) => p.join('')),
  fc.constantFrom(...SNIPPETS),
  fc.integer({ min: 3_990, max: 9_000 }).map((n) => 'x'.repeat(n)),
);

const hostileLabel = hostileText.map((t) => t.slice(0, 200));
const hostileId = fc.oneof(
  fc.constantFrom('password-reset', 'vpn-setup', 'summary', 'urgency', 'SUP-1001'),
  hostileText.map((t) => t.slice(0, 200) || 'x'),
);

/** Any action the bot knows, with hostile ids, labels and values (offered or not). */
export const hostileAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('show-entry' as const), entryId: hostileId, label: hostileLabel }),
  fc.record({
    type: fc.constant('feedback' as const),
    entryId: hostileId,
    helpful: fc.boolean(),
    label: hostileLabel,
  }),
  fc.record({ type: fc.constant('talk-to-person' as const), label: hostileLabel }),
  fc.record({ type: fc.constant('none-of-these' as const), label: hostileLabel }),
  fc.record({ type: fc.constant('consent' as const), accept: fc.boolean(), label: hostileLabel }),
  fc.record({
    type: fc.constant('choose-value' as const),
    field: hostileId,
    value: hostileText.map((t) => t.slice(0, 500)),
    label: hostileLabel,
  }),
  fc.record({ type: fc.constant('skip' as const), field: hostileId, label: hostileLabel }),
  fc.record({
    type: fc.constant('submit-form' as const),
    values: fc.dictionary(
      fc.oneof(
        fc.constantFrom('summary', 'system', 'error', 'contact', 'urgency', 'impact'),
        fc.string({ maxLength: 20 }),
      ),
      hostileText.map((t) => t.slice(0, 4000)),
      { maxKeys: 8 },
    ),
    label: hostileLabel,
  }),
  fc.record({ type: fc.constant('cancel' as const), label: hostileLabel }),
  fc.record({ type: fc.constant('escalate' as const), label: hostileLabel }),
  fc.record({
    type: fc.constant('rate' as const),
    ticketId: hostileId,
    rating: fc.integer({ min: 1, max: 5 }),
    label: hostileLabel,
  }),
);

/** JSON of the wrong shape: wrong types, unknown fields, arrays, nesting, prototype keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.record(
    {
      text: fc.anything({ maxDepth: 3 }),
      action: fc.anything({ maxDepth: 3 }),
      locale: fc.anything({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
  fc.record({ text: hostileText }),
  fc.record({ action: hostileAction }),
  fc.record({ action: hostileAction, text: hostileText }),
  fc.constant(JSON.parse('{"__proto__": {"admin": true}, "text": "hallo"}')),
);

/** Deeply nested JSON text (a parser's stack), as raw bodies. */
export function deeplyNested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** The replies are safe for a client: each a known type with text and actions. */
export function expectSafeReplies(replies: unknown): asserts replies is Reply[] {
  expect(Array.isArray(replies)).toBe(true);
  for (const reply of replies as Reply[]) {
    expect(['answer', 'choices', 'ask', 'notice', 'ticket', 'relay']).toContain(reply.type);
    expect(typeof reply.text).toBe('string');
    expect(Array.isArray(reply.actions)).toBe(true);
  }
}

/** True when a reply is the engine's apology, which only a failed turn produces. */
export function isApology(reply: Reply): boolean {
  return /etwas schiefgegangen|something went wrong/.test(reply.text);
}
