import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runAsk } from '../../../src/understanding/ask-command.ts';

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;
const dirs = ['--knowledge', `${fixtures}knowledge-valid`, '--intents', `${fixtures}intents-valid`];

async function ask(args: string[]) {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await runAsk(args, {
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
  });
  return { code, out, err };
}

describe('support-bot ask', () => {
  it('prints the best answer in the detected language with its score and the runners-up', async () => {
    const { code, out } = await ask(['Wie richte ich das VPN ein?', ...dirs]);
    expect(code).toBe(0);
    expect(out).toContain('VPN einrichten');
    expect(out).toMatch(/faq vpn-setup, score (0\.\d\d|1\.00), language de/);
    expect(out).toContain('Installieren Sie den VPN-Client');
  });

  it('says clearly when there is no confident match', async () => {
    const { code, out } = await ask(['Quantum chromodynamics lecture notes', ...dirs]);
    expect(code).toBe(1);
    expect(out).toMatch(/No (confident )?match/);
  });

  it('prints JSON with --json', async () => {
    const { code, out } = await ask(['I forgot my password', '--json', ...dirs]);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.verdict).toBe('clear');
    expect(result.best.id).toBe('password-reset');
    expect(result.best.answer).toContain('self-service portal');
    expect(result.language).toBe('en');
  });

  it('exits 2 with the problems when the knowledge is broken, and on usage errors', async () => {
    const broken = await ask([
      'hello',
      '--knowledge',
      `${fixtures}knowledge-broken`,
      '--intents',
      `${fixtures}intents-valid`,
    ]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('unknown entry id "does-not-exist"');
    expect((await ask([...dirs])).code).toBe(2);
    expect((await ask(['x', '--bogus'])).code).toBe(2);
  });
});
