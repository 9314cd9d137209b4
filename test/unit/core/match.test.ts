import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { type Candidate, decideMatch, type MatchResult } from '../../../src/core/match.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { parseLabelledCsv } from '../../../tools/eval/parse-csv.ts';
import { judgeVerdict, tallyVerdicts } from '../../../tools/eval/verdict-tally.ts';

// Fixed numbers, not the config: the made-up scores below are placed around them. The shipped
// defaults are checked against real questions in the last test.
const thresholds = { threshold: 0.4, margin: 0.35 };

function result(...scores: [id: string, score: number, kind?: Candidate['kind']][]): MatchResult {
  return {
    language: 'de',
    candidates: scores.map(([id, score, kind = 'faq']) => ({ id, score, kind, title: id })),
  };
}

describe('decideMatch', () => {
  it('answers a confident entry whose runner-up is far behind', () => {
    expect(decideMatch(result(['vpn-connection-fails', 0.89], ['vpn-setup', 0.07]), thresholds)).toEqual({
      kind: 'clear',
      best: expect.objectContaining({ id: 'vpn-connection-fails' }),
    });
  });

  it('asks "Did you mean" when two entries are close, even if neither reaches the threshold alone', () => {
    const verdict = decideMatch(
      result(['wifi-connect', 0.38], ['wifi-guest', 0.25], ['password-reset', 0.02]),
      thresholds,
    );
    expect(verdict).toEqual({
      kind: 'ambiguous',
      options: [
        expect.objectContaining({ id: 'wifi-connect' }),
        expect.objectContaining({ id: 'wifi-guest' }),
      ],
    });
  });

  it('offers at most three entries, all within the margin of the best', () => {
    const verdict = decideMatch(
      result(['a', 0.5], ['b', 0.4], ['c', 0.3], ['d', 0.2], ['e', 0.1]),
      thresholds,
    );
    expect(verdict.kind === 'ambiguous' && verdict.options.map((o) => o.id)).toEqual(['a', 'b', 'c']);
  });

  it('does not understand close candidates that together are still unlikely', () => {
    expect(decideMatch(result(['a', 0.13], ['b', 0.12], ['c', 0.11]), thresholds).kind).toBe('none');
    expect(decideMatch(result(['a', 0.25], ['b', 0.02]), thresholds).kind).toBe('none');
    expect(decideMatch(result(), thresholds).kind).toBe('none');
  });

  it('in German, gives a clear lead less allowance below a threshold a curator raised towards certainty', () => {
    const strict = { ...thresholds, threshold: 0.99 };
    expect(decideMatch(result(['password-reset', 0.98], ['phishing-report', 0.01]), strict).kind).toBe(
      'none',
    );
    expect(decideMatch(result(['password-reset', 0.989], ['phishing-report', 0.01]), strict).kind).toBe(
      'clear',
    );
    const raised = { ...thresholds, threshold: 0.7 };
    expect(decideMatch(result(['a', 0.67], ['b', 0.01]), raised).kind).toBe('clear');
    expect(decideMatch(result(['a', 0.65], ['b', 0.01]), raised).kind).toBe('none');
  });

  it('in German, answers an entry whose every other entry scores less than 0.4 of it, from 4/5 of the threshold', () => {
    // Far ahead: no needless "Did you mean", even a little below the threshold.
    const lead = decideMatch(result(['vpn-connection-fails', 0.37], ['vpn-setup', 0.07]), thresholds);
    expect(lead).toMatchObject({ kind: 'clear', best: { id: 'vpn-connection-fails' } });
    expect(decideMatch(result(['a', 0.6], ['b', 0.23]), thresholds).kind).toBe('clear');
    // A runner-up at 0.4 of the score or more is a real alternative.
    const close = decideMatch(result(['a', 0.36], ['b', 0.15]), thresholds);
    expect(close.kind === 'ambiguous' && close.options.map((o) => o.id)).toEqual(['a', 'b']);
    // Below the floor (0.32 at threshold 0.4) a lead is not enough.
    expect(decideMatch(result(['a', 0.31], ['b', 0.01]), thresholds).kind).toBe('none');
    // An intent needs the threshold itself.
    expect(decideMatch(result(['greeting', 0.35, 'intent'], ['a', 0.01]), thresholds).kind).toBe('none');
    // English keeps every entry within the margin as an option, and needs the threshold.
    const english = (r: MatchResult): MatchResult => ({ ...r, language: 'en' });
    const offered = decideMatch(english(result(['a', 0.6], ['b', 0.29])), thresholds);
    expect(offered.kind === 'ambiguous' && offered.options.map((o) => o.id)).toEqual(['a', 'b']);
    expect(decideMatch(english(result(['a', 0.37], ['b', 0.01])), thresholds).kind).toBe('none');
  });

  it('never offers an intent as a choice: an intent first is clear or not understood', () => {
    expect(decideMatch(result(['greeting', 0.5, 'intent'], ['vpn-setup', 0.45]), thresholds).kind).toBe(
      'clear',
    );
    expect(decideMatch(result(['goodbye', 0.17, 'intent'], ['support-hours', 0.16]), thresholds).kind).toBe(
      'none',
    );
    const verdict = decideMatch(
      result(['vpn-connection-fails', 0.37], ['goodbye', 0.2, 'intent'], ['vpn-setup', 0.19]),
      thresholds,
    );
    expect(verdict.kind === 'ambiguous' && verdict.options.map((o) => o.id)).toEqual([
      'vpn-connection-fails',
      'vpn-setup',
    ]);
  });
});

describe('one word that several entries use', () => {
  it('asks which entry is meant, whatever the margin, offering only the entries that use the word', () => {
    const broad: MatchResult = {
      ...result(['vpn-connection-fails', 0.9], ['wifi-connect', 0.05], ['vpn-setup', 0.04]),
      broad: ['vpn-connection-fails', 'vpn-setup'],
    };
    const verdict = decideMatch(broad, thresholds);
    expect(verdict.kind).toBe('ambiguous');
    if (verdict.kind === 'ambiguous')
      expect(verdict.options.map((o) => o.id)).toEqual(['vpn-connection-fails', 'vpn-setup']);
  });

  it('still answers nothing when the scores are too low, and never offers intents', () => {
    const weak: MatchResult = { ...result(['a', 0.1], ['b', 0.05]), broad: ['a', 'b'] };
    expect(decideMatch(weak, thresholds).kind).toBe('none');
    const intent: MatchResult = { ...result(['greeting', 0.95, 'intent'], ['a', 0.03]), broad: ['a'] };
    expect(decideMatch(intent, thresholds).kind).toBe('clear');
  });

  it('happens with the shipped knowledge for "VPN" and "Drucker", but not for a specific question', async () => {
    const config = parseConfig({});
    const t = { threshold: config.MATCH_THRESHOLD, margin: config.MATCH_MARGIN };
    const understanding = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
    const vpn = decideMatch(understanding.match('VPN'), t);
    expect(vpn.kind).toBe('ambiguous');
    if (vpn.kind === 'ambiguous')
      expect(vpn.options.map((o) => o.id).sort()).toEqual(['vpn-connection-fails', 'vpn-setup']);
    const printer = decideMatch(understanding.match('Drucker'), t);
    expect(printer.kind).toBe('ambiguous');
    if (printer.kind === 'ambiguous')
      expect(printer.options.map((o) => o.id)).toContain('printer-not-printing');
    expect(decideMatch(understanding.match('Wie richte ich das VPN ein?'), t)).toMatchObject({
      kind: 'clear',
      best: { id: 'vpn-setup' },
    });
  });
});

describe('verdicts on the labelled questions', () => {
  it('judges each outcome against the label', () => {
    const best = { id: 'vpn-setup', kind: 'faq' as const, score: 0.9, title: 'VPN' };
    expect(judgeVerdict({ kind: 'clear', best }, 'vpn-setup')).toBe('clear-right');
    expect(judgeVerdict({ kind: 'clear', best }, 'wifi-guest')).toBe('clear-wrong');
    expect(judgeVerdict({ kind: 'ambiguous', options: [best] }, 'vpn-setup')).toBe('ambiguous-with-right');
    expect(judgeVerdict({ kind: 'ambiguous', options: [best] }, 'mfa-setup')).toBe('ambiguous-without-right');
    expect(judgeVerdict({ kind: 'none' }, 'vpn-setup')).toBe('none');
    expect(judgeVerdict({ kind: 'clear', best }, 'oos')).toBe('oos-answered');
    expect(judgeVerdict({ kind: 'none' }, 'oos')).toBe('oos-none');
  });

  it('with the default thresholds: "Did you mean" does happen, and almost every question is answered or offered right', async () => {
    const config = parseConfig({});
    const understanding = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
    const questions = parseLabelledCsv(await readFile('test/fixtures/questions.csv', 'utf8'));
    const tally = tallyVerdicts(understanding, questions, {
      threshold: config.MATCH_THRESHOLD,
      margin: config.MATCH_MARGIN,
    });
    expect(tally.inScope + tally.outOfScope).toBe(questions.length);
    expect(tally['ambiguous-with-right']).toBeGreaterThan(0);
    expect((tally['clear-right'] + tally['ambiguous-with-right']) / tally.inScope).toBeGreaterThanOrEqual(
      0.9,
    );
    expect(tally['clear-wrong'] / tally.inScope).toBeLessThanOrEqual(0.03);
    expect(tally['oos-answered'] / tally.outOfScope).toBeLessThanOrEqual(0.15);
  });
});
