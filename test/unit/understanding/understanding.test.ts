import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decideMatch } from '../../../src/core/match.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { loadIntents } from '../../../src/understanding/load-intents.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { watchKnowledge } from '../../../src/understanding/watch-knowledge.ts';
import { parseLabelledCsv } from '../../../tools/eval/parse-csv.ts';

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;
const root = new URL('../../../', import.meta.url).pathname;

async function fixtureUnderstanding(): Promise<Understanding> {
  return Understanding.load({
    knowledgeDir: `${fixtures}knowledge-valid`,
    intentsDir: `${fixtures}intents-valid`,
  });
}

describe('Understanding.match', () => {
  it('finds FAQ entries in German and English, with the title in the detected language', async () => {
    const u = await fixtureUnderstanding();
    const de = u.match('Ich habe mein Passwort vergessen');
    expect(de.language).toBe('de');
    expect(de.candidates[0]).toMatchObject({
      kind: 'faq',
      id: 'password-reset',
      title: 'Passwort zurücksetzen',
    });
    const en = u.match('I forgot my password');
    expect(en.language).toBe('en');
    expect(en.candidates[0]).toMatchObject({
      kind: 'faq',
      id: 'password-reset',
      title: 'Reset your password',
    });
  });

  it('understands a German message with English words that only the English phrasings use', async () => {
    const u = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
    for (const text of ['die response time bei prio 1', 'wie ist die response time bei prio 1']) {
      const result = u.match(text);
      expect(result.language).toBe('de');
      expect(result.outOfScope).toBeUndefined();
      expect(result.candidates[0]).toMatchObject({ id: 'sla-reaction-times' });
      expect(result.candidates[0]?.score).toBeGreaterThanOrEqual(0.4);
    }
  });

  it('tolerates typos, missing umlauts, compounds, case and emoji', async () => {
    const u = await fixtureUnderstanding();
    for (const text of [
      'pasword zurücksetzen',
      'passwort zurucksetzen',
      'Passwortzurücksetzung',
      'PASSWORT ZURÜCKSETZEN!!! 😡',
    ]) {
      expect(u.match(text).candidates[0]?.id, text).toBe('password-reset');
    }
    expect(u.match('the printer has a papr jam').candidates[0]?.id).toBe('printer-jam');
  });

  it('recognises intents and scores in [0, 1], best first', async () => {
    const u = await fixtureUnderstanding();
    const hello = u.match('Hallo');
    expect(hello.candidates[0]).toMatchObject({ kind: 'intent', id: 'greeting' });
    const person = u.match('I want to talk to a human please');
    expect(person.candidates[0]?.id).toBe('talk-to-person');
    for (const c of person.candidates) {
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.score).toBeLessThanOrEqual(1);
    }
    const scores = person.candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('gives a clear verdict for a clear question and none for an unrelated one', async () => {
    const u = await fixtureUnderstanding();
    const thresholds = { threshold: 0.5, margin: 0.1 };
    expect(decideMatch(u.match('How do I set up the VPN?'), thresholds).kind).toBe('clear');
    expect(decideMatch(u.match('Quantum chromodynamics lecture notes'), thresholds).kind).toBe('none');
  });

  it('returns no candidates when the out-of-scope intent wins, and never lists it', async () => {
    const u = await fixtureUnderstanding();
    expect(u.match('Erzähl mir einen Witz').candidates).toEqual([]);
    expect(u.match('what is the weather tomorrow?').candidates).toEqual([]);
    // Said as such, so the engine can tell it from a message nothing resembles.
    expect(u.match('what is the weather tomorrow?').outOfScope).toBe(true);
    expect(u.match('Quantum chromodynamics lecture notes').outOfScope).toBeUndefined();
    for (const text of ['VPN einrichten', 'Hallo', 'printer']) {
      expect(u.match(text).candidates.some((c) => c.id === 'out-of-scope')).toBe(false);
    }
  });

  it('ranks by centroid similarity when the knowledge is too big for the linear classifier', async () => {
    const entries = await loadKnowledge(`${fixtures}knowledge-valid`);
    const intents = await loadIntents(`${fixtures}intents-valid`);
    const big = Understanding.fromData(entries, intents, { maxDenseCells: 0 });
    expect(big.match('Ich habe mein Passwort vergessen').candidates[0]?.id).toBe('password-reset');
    expect(big.match('paper is stuck in the printer').candidates[0]?.id).toBe('printer-jam');
    expect(big.match('😀').candidates).toEqual([]);
  });

  it('respects the limit', async () => {
    const u = await fixtureUnderstanding();
    expect(u.match('password', { limit: 1 }).candidates.length).toBeLessThanOrEqual(1);
  });

  it.each([
    ['empty', ''],
    ['blank', '   \n\t '],
    ['100,000 characters', 'x'.repeat(100_000)],
    ['100,000 characters of words', 'Passwort '.repeat(12_000)],
    ['control characters', '\u0000\u0001\u0002\u001b[31m\u007f'],
    ['only emoji', '😀🙈🎉👍🏽'],
    ['only punctuation', '?!?!... ;-) ---'],
    ['Cyrillic', 'Как сбросить пароль?'],
    ['CJK', '我忘记了密码怎么办'],
    ['lone surrogates', '\ud800\udc00\ud800'],
  ])('never throws on bad input (%s)', async (_name, text) => {
    const u = await fixtureUnderstanding();
    const result = u.match(text, { languageHint: 'en' });
    if (_name !== '100,000 characters of words') expect(result.candidates).toEqual([]);
    expect(['de', 'en']).toContain(result.language);
  });

  it('survives random text from all of Unicode without throwing', async () => {
    const u = await fixtureUnderstanding();
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(random() * 60);
      let text = '';
      for (let k = 0; k < length; k++) {
        // Mostly ASCII and Latin-1, sometimes any code point (surrogates and unassigned included).
        const r = random();
        const code =
          r < 0.6
            ? 32 + Math.floor(random() * 95)
            : r < 0.8
              ? 160 + Math.floor(random() * 96)
              : Math.floor(random() * 0x10ffff);
        text += String.fromCodePoint(code >= 0xd800 && code <= 0xdfff ? 0xfffd : code);
      }
      const result = u.match(text);
      for (const c of result.candidates) expect(c.score).toBeGreaterThanOrEqual(0);
    }
  });

  it('answers from the first 2,000 characters of a very long message', async () => {
    const u = await fixtureUnderstanding();
    const result = u.match(`Ich habe mein Passwort vergessen. ${'bla '.repeat(30_000)}`);
    expect(result.candidates[0]?.id).toBe('password-reset');
  });
});

describe('Understanding knowledge changes', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('replaceEntries rebuilds the index without a restart', async () => {
    const u = await fixtureUnderstanding();
    expect(u.match('paper is stuck in the printer').candidates[0]?.id).toBe('printer-jam');
    const entries = (await loadKnowledge(`${fixtures}knowledge-valid`)).filter((e) => e.id !== 'printer-jam');
    u.replaceEntries(entries);
    expect(u.match('paper is stuck in the printer').candidates.some((c) => c.id === 'printer-jam')).toBe(
      false,
    );
    expect(u.entry('printer-jam', 'en')).toBeUndefined();
    expect(u.knowledge.ids()).toEqual(['password-reset', 'vpn-setup']);
  });

  it('entry() falls back to the other language', async () => {
    const u = await fixtureUnderstanding();
    expect(u.entry('printer-jam', 'de')?.language).toBe('en');
    expect(u.entry('vpn-setup', 'de')?.title).toBe('VPN einrichten');
  });

  it('searchTitles finds entries by fuzzy title', async () => {
    const u = await fixtureUnderstanding();
    expect(u.searchTitles('pasword')[0]?.id).toBe('password-reset');
    expect(u.searchTitles('VPN').map((h) => h.id)).toContain('vpn-setup');
  });

  it('watch reloads a changed knowledge folder and keeps the old index on a broken file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kb-'));
    dirs.push(dir);
    await cp(`${fixtures}knowledge-valid`, dir, { recursive: true });
    const u = Understanding.fromData(await loadKnowledge(dir), await loadIntents(`${fixtures}intents-valid`));
    const outcomes: { ok: boolean }[] = [];
    let notify: () => void = () => {};
    const stop = watchKnowledge(u, dir, {
      debounceMs: 50,
      onReload: (outcome) => {
        outcomes.push(outcome);
        notify();
      },
    });
    try {
      const next = () => new Promise<void>((resolve) => (notify = resolve));
      let reloaded = next();
      await writeFile(
        join(dir, 'en', 'monitor-flicker.md'),
        '---\nid: monitor-flicker\ntitle: Monitor flickers\nlanguage: en\nquestions:\n  - my screen keeps flickering\nupdated: 2026-11-01\n---\nCheck the cable.\n',
      );
      await reloaded;
      expect(outcomes.at(-1)?.ok).toBe(true);
      expect(u.match('my screen keeps flickering').candidates[0]?.id).toBe('monitor-flicker');

      reloaded = next();
      await writeFile(join(dir, 'en', 'broken.md'), '---\nid: broken\n---\n');
      await reloaded;
      expect(outcomes.at(-1)?.ok).toBe(false);
      expect(u.match('my screen keeps flickering').candidates[0]?.id).toBe('monitor-flicker');
    } finally {
      stop();
    }
  });
});

describe('Understanding.match and the messages before', () => {
  it('answers a message the same whatever was asked before (word similarities are kept between messages)', async () => {
    const entries = await loadKnowledge(`${root}knowledge`);
    const intents = await loadIntents(`${root}intents`);
    const u = Understanding.fromData(entries, intents);
    const questions = parseLabelledCsv(readFileSync(`${root}test/fixtures/questions.csv`, 'utf8'))
      .filter((_, i) => i % 5 === 0)
      .map((row) => row.text);
    const first = questions.map((question) => u.match(question));
    for (const question of [...questions].reverse()) u.match(question);
    questions.forEach((question, i) => {
      expect(u.match(question), question).toStrictEqual(first[i]);
    });
  });
});
