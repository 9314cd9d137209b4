import { describe, expect, it } from 'vitest';
import { ValidationFailedError } from '../../../src/core/errors.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;

async function problemsOf(dir: string) {
  const error = await loadKnowledge(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).problems;
}

describe('loadKnowledge', () => {
  it('reads de/, en/ and files directly in the folder, with the body as answer', async () => {
    const entries = await loadKnowledge(`${fixtures}knowledge-valid`);
    expect(entries.map((e) => `${e.id}.${e.language}`).sort()).toEqual([
      'password-reset.de',
      'password-reset.en',
      'printer-jam.en',
      'vpn-setup.de',
      'vpn-setup.en',
    ]);
    const reset = entries.find((e) => e.id === 'password-reset' && e.language === 'de');
    expect(reset?.answer).toBe('Öffnen Sie das Self-Service-Portal und wählen Sie **Passwort vergessen**.');
    expect(reset?.questions).toHaveLength(3);
    expect(reset?.queue).toBe('identity');
    expect(reset?.updated).toBe('2026-11-01');
    expect(reset?.source).toMatch(/knowledge-valid\/de\/password-reset\.md$/);
    const vpn = entries.find((e) => e.id === 'vpn-setup' && e.language === 'en');
    expect(vpn?.billable).toBe(false);
    expect(vpn?.related).toEqual([]);
  });

  it('names every problem of a broken knowledge base at once, with file and field', async () => {
    const problems = await problemsOf(`${fixtures}knowledge-broken`);
    const found = problems.map((p) => `${p.source.replace(/.*knowledge-broken\//, '')} | ${p.field}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^de\/yaml-error\.md \| front matter \(line \d+\)$/),
        'de/missing-title.md | title',
        'de/wrong-language.md | language',
        'de/empty-answer.md | answer',
        'de/unknown-related.md | related[0]',
        'de/extra-field.md | categroy',
        'en/duplicate-one.md | id',
        'en/no-front-matter.md | front matter',
        'en/bad-id.md | id',
        'en/bad-id.md | questions',
      ]),
    );
    expect(problems).toHaveLength(10);
    const yaml = problems.find((p) => p.source.endsWith('yaml-error.md'));
    expect(yaml?.message).toMatch(/YAML syntax error/);
    const duplicate = problems.find((p) => p.message.includes('duplicate'));
    expect(duplicate?.message).toMatch(/also in .*duplicate-one\.(en\.)?md/);
  });

  it('lists the problems in the error message too', async () => {
    const error = (await loadKnowledge(`${fixtures}knowledge-broken`).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/10 problem\(s\)/);
    expect(error.message).toContain('unknown entry id "does-not-exist"');
  });

  it('reports a missing directory as a problem, not a crash', async () => {
    const problems = await problemsOf(`${fixtures}no-such-dir`);
    expect(problems[0]?.message).toBe('knowledge directory not found');
  });
});
