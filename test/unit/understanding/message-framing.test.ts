import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideMatch } from '../../../src/core/match.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { loadIntents } from '../../../src/understanding/load-intents.ts';
import { MessageFraming } from '../../../src/understanding/message-framing.ts';
import { tokenize } from '../../../src/understanding/normalize-text.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';

let framing: MessageFraming;
let understanding: Understanding;

beforeAll(async () => {
  const [entries, intents] = await Promise.all([loadKnowledge('knowledge'), loadIntents('intents')]);
  framing = new MessageFraming(intents);
  understanding = Understanding.fromData(entries, intents);
});

describe('message framing', () => {
  it('sets aside greetings, thanks and letter phrases around a question, and a name after a sign-off', () => {
    expect(
      framing.core(
        'Guten Tag, mein Passwort ist abgelaufen. Vielen Dank im Voraus! Viele Grüße, Anna Muster',
      ),
    ).toBe('mein passwort ist abgelaufen');
    expect(framing.core('Hello team, the VPN drops every hour. Thanks in advance! Best regards, John')).toBe(
      'the vpn drops every hour',
    );
    expect(framing.core('Hallo zusammen, hallo bot, Drucker im 2. Stock druckt nicht')).toBe(
      'drucker im 0 stock druckt nicht',
    );
  });

  it('leaves a message whole when it has no framing, or is nothing but framing', () => {
    expect(framing.core('VPN verbindet nicht')).toBeUndefined();
    expect(framing.core('Hallo')).toBeUndefined();
    expect(framing.core('Hallo, danke!')).toBeUndefined();
    expect(framing.core('danke, das hat geholfen')).toBeUndefined();
    // A word that a greeting uses, inside the question, stays: only whole phrases at the edges go.
    expect(framing.core('Wartung am Tag der Umstellung?')).toBeUndefined();
    // A sign-off word inside the question is no sign-off: the words after it are no name.
    expect(framing.core('I need help with regards to vpn')).toBeUndefined();
  });

  it('keeps a contiguous, non-empty run of the message’s words for any text', () => {
    const courtesy = fc.constantFrom(
      'hallo',
      'guten tag',
      'danke',
      'viele grüße',
      'regards',
      'thanks in advance',
      'anna',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(courtesy, fc.string({ maxLength: 12 })), { maxLength: 12 }), (parts) => {
        const text = parts.join(' ');
        const core = framing.core(text);
        if (core === undefined) return;
        expect(core.length).toBeGreaterThan(0);
        expect(` ${tokenize(text).join(' ')} `).toContain(` ${core} `);
      }),
      { numRuns: 500 },
    );
  });

  it('answers a question wrapped in courtesy as it answers the bare question', () => {
    const thresholds = { threshold: 0.45, margin: 0.35 };
    for (const [bare, framed] of [
      [
        'Wie lang muss ein Passwort bei euch mindestens sein?',
        'Sehr geehrte Damen und Herren, wie lang muss ein Passwort bei euch mindestens sein? Mit freundlichen Grüßen, Max Muster',
      ],
      [
        'how do I get the VPN client on my laptop',
        'Hi team, how do I get the VPN client on my laptop? Thank you in advance. Kind regards',
      ],
    ] as const) {
      const plain = decideMatch(understanding.match(bare), thresholds);
      const wrapped = decideMatch(understanding.match(framed), thresholds);
      expect(plain.kind).toBe('clear');
      expect(wrapped).toEqual(plain);
    }
    // A greeting alone is still the greeting intent.
    expect(understanding.match('Hallo zusammen').candidates[0]?.id).toBe('greeting');
  });
});
