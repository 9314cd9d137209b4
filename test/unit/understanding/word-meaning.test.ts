import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntentRanker } from '../../../src/understanding/intent-ranker.ts';
import type { LabelledText } from '../../../src/understanding/ranker-types.ts';
import {
  encodeWordVectors,
  englishWordVectors,
  WordVectors,
} from '../../../src/understanding/word-vectors.ts';

const shipped = englishWordVectors();

describe('word vectors', () => {
  it('ship with the matcher: 50,000 English words in 100 dimensions', () => {
    expect(shipped).not.toBeNull();
    expect(shipped?.size).toBe(50_000);
    expect(shipped?.dimensions).toBe(100);
    expect(shipped?.has('password')).toBe(true);
    expect(shipped?.has('passwort')).toBe(false);
  });

  it('put related words closer than unrelated ones', () => {
    const cosine = (a: string, b: string) => {
      const x = new Float32Array(100);
      const y = new Float32Array(100);
      shipped?.addTo(a, 1, x);
      shipped?.addTo(b, 1, y);
      let dot = 0;
      let nx = 0;
      let ny = 0;
      for (let d = 0; d < 100; d++) {
        dot += (x[d] as number) * (y[d] as number);
        nx += (x[d] as number) ** 2;
        ny += (y[d] as number) ** 2;
      }
      return dot / Math.sqrt(nx * ny);
    };
    expect(cosine('delivered', 'arrived')).toBeGreaterThan(cosine('delivered', 'password') + 0.2);
    expect(cosine('printer', 'printing')).toBeGreaterThan(cosine('printer', 'holiday') + 0.2);
  });

  it('round-trip through the file format within 8-bit precision', () => {
    const vectors = [Float32Array.from([0.5, -1, 0.25]), Float32Array.from([2, 0, -2])];
    const decoded = WordVectors.decode(encodeWordVectors(['alpha', 'beta'], vectors, 3));
    expect(decoded.size).toBe(2);
    const out = new Float32Array(3);
    expect(decoded.addTo('beta', 0.5, out)).toBe(true);
    expect(Array.from(out)).toEqual([expect.closeTo(1, 2), 0, expect.closeTo(-1, 2)]);
    expect(decoded.addTo('gamma', 1, out)).toBe(false);
  });

  it('refuses a file that is not a vector file or is cut short', () => {
    expect(() => WordVectors.decode(new TextEncoder().encode('hello world, no vectors here'))).toThrow(
      /not a word-vector file/,
    );
    const whole = encodeWordVectors(['alpha'], [Float32Array.from([1, 2, 3])], 3);
    expect(() => WordVectors.decode(whole.subarray(0, whole.length - 2))).toThrow(/truncated/);
  });

  it('open a file at once, check its header and length, and read the vectors when first used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-vectors-'));
    const whole = encodeWordVectors(
      ['alpha', 'beta'],
      [Float32Array.from([1, 2, 3]), Float32Array.from([0, 1, 0])],
      3,
    );
    const path = join(dir, 'vectors.bin');
    writeFileSync(path, whole);
    const opened = WordVectors.open(path);
    expect(opened.dimensions).toBe(3);
    expect(opened.source).toContain(path);
    // Changed after opening: what is read is the file as it is when first used.
    writeFileSync(path, encodeWordVectors(['gamma'], [Float32Array.from([1, 1, 1])], 3));
    expect(opened.words()).toEqual(['gamma']);

    writeFileSync(join(dir, 'cut.bin'), whole.subarray(0, whole.length - 1));
    expect(() => WordVectors.open(join(dir, 'cut.bin'))).toThrow(/truncated/);
    writeFileSync(join(dir, 'text.bin'), 'hello world, no vectors here');
    expect(() => WordVectors.open(join(dir, 'text.bin'))).toThrow(/not a word-vector file/);
  });
});

const phrasings: LabelledText[] = [
  { label: 'parcel', text: 'my parcel has not arrived yet', language: 'en' },
  { label: 'parcel', text: 'where is my parcel', language: 'en' },
  { label: 'password', text: 'how do I change my password', language: 'en' },
  { label: 'password', text: 'I forgot my password', language: 'en' },
  { label: 'printer', text: 'the printer does not print', language: 'en' },
  { label: 'printer', text: 'printer shows an error', language: 'en' },
  { label: 'password', text: 'Ich habe mein Passwort vergessen', language: 'de' },
];

describe('word meaning in the ranker', () => {
  it('matches a paraphrase that shares no content word with the phrasings', () => {
    const ranker = IntentRanker.train(phrasings);
    const result = ranker.rank('the package was never delivered', { hint: 'en' });
    expect(result.ranked[0]?.label).toBe('parcel');
    expect(result.ranked[0]?.alignment).toBeGreaterThan(0.3);
  });

  it('leaves German questions to the other signals', () => {
    const ranker = IntentRanker.train(phrasings);
    const result = ranker.rank('Passwort vergessen', { hint: 'de' });
    expect(result.language).toBe('de');
    expect(result.ranked[0]?.label).toBe('password');
    expect(result.ranked[0]?.alignment).toBeUndefined();
  });

  it('can be switched off, and is not built when labels have many phrasings', () => {
    const off = IntentRanker.train(phrasings, { wordVectors: null });
    expect(off.rank('I forgot my password', { hint: 'en' }).ranked[0]?.alignment).toBeUndefined();
    const many: LabelledText[] = [];
    for (let i = 0; i < 40; i++) {
      many.push({
        label: 'a',
        text: `my parcel number ${'x'.repeat(i + 1)} has not arrived`,
        language: 'en',
      });
      many.push({ label: 'b', text: `password reset ${'y'.repeat(i + 1)} please`, language: 'en' });
    }
    const big = IntentRanker.train(many);
    const top = big.rank('my parcel has not arrived', { hint: 'en' }).ranked[0];
    expect(top?.label).toBe('a');
    expect(top?.alignment).toBeUndefined();
  });
});
