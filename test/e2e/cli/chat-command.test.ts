import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { type CliRun, runCli } from '../../support/run-cli.ts';

/** Runs `support-bot chat` as a user would, lines piped in; resolves with what it printed. */
function chat(args: string[], input: string): Promise<CliRun> {
  return runCli(['chat', ...args], { env: { LOG_LEVEL: 'warn', ADMIN_TOKEN: '' }, input });
}

describe('support-bot chat', () => {
  it('prints one JSON reply per line and takes a typed number as the offered action', async () => {
    const { code, stdout, stderr } = await chat(['--json'], 'Ich habe mein Passwort vergessen\n1\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const replies = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Reply);
    const [first, ...rest] = replies;
    expect(first).toMatchObject({ type: 'answer', entryId: 'password-reset', language: 'de' });
    // "1" picks the first action of the last replies: the first related entry.
    const picked = first?.actions[0];
    expect(picked?.type).toBe('show-entry');
    expect(rest[0]).toMatchObject({ type: 'answer', entryId: (picked as { entryId: string }).entryId });
  });

  it('answers English in English and numbers actions in text mode', async () => {
    const { code, stdout } = await chat([], 'How do I set up the VPN?\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^== .*VPN.* ==$/m);
    expect(stdout).toMatch(/^ {2}\[1\] /m);
    expect(stdout).not.toContain('**');
  });

  it('rejects unknown options with the usage text', async () => {
    const { code, stderr } = await chat(['--colour'], '');
    expect(code).toBe(2);
    expect(stderr).toContain('support-bot chat [options]');
  });
});
