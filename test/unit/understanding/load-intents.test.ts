import { describe, expect, it } from 'vitest';
import { ValidationFailedError } from '../../../src/core/errors.ts';
import { loadIntents } from '../../../src/understanding/load-intents.ts';

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;

describe('loadIntents', () => {
  it('reads every intents/<id>.yaml', async () => {
    const intents = await loadIntents(`${fixtures}intents-valid`);
    expect(intents.map((i) => i.id)).toEqual(['greeting', 'out-of-scope', 'talk-to-person']);
    expect(intents[0]?.examples.de).toContain('Servus');
  });

  it('names every problem of every broken file at once', async () => {
    const error = await loadIntents(`${fixtures}intents-broken`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    const problems = (error as ValidationFailedError).problems.map(
      (p) => `${p.source.replace(/.*intents-broken\//, '')} | ${p.field}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^syntax\.yaml \| \(line \d+\)$/),
        'no-examples.yaml | examples',
        'wrong-key.yaml | exmaples',
        'wrong-key.yaml | examples',
      ]),
    );
  });
});
