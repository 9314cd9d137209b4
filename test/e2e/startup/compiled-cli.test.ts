import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/check-command.ts';
import { runAsk } from '../../../src/understanding/ask-command.ts';
import { capturedOutput } from '../../support/captured-output.ts';

/**
 * `npx support-bot` and `npm start` run the CLI compiled ahead into dist/ (bin/compile-ahead.js).
 * The bundle must behave as the sources do, and follow every change of them.
 */
const root = new URL('../../../', import.meta.url).pathname;
const run = promisify(execFile);

async function compiled(args: string[], cwd = root, env: Record<string, string> = {}) {
  const result = await run(process.execPath, [join(cwd, 'bin/support-bot.js'), ...args], {
    cwd,
    env: { ...process.env, ...env },
  }).catch((error: { stdout: string; stderr: string; code: number }) => error);
  return { stdout: result.stdout, stderr: result.stderr, code: 'code' in result ? result.code : 0 };
}

async function fromSources(command: (io: { stdout: Writable; stderr: Writable }) => Promise<number>) {
  const stdout = capturedOutput();
  const code = await command({ stdout: stdout.stream, stderr: capturedOutput().stream });
  return { stdout: stdout.text(), code };
}

describe('the compiled CLI', () => {
  it('answers and checks exactly as the sources do', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-compiled-'));
    for (const question of ['Wie setze ich mein Passwort zurück?', 'my vpn keeps dropping']) {
      const bundled = await compiled(['ask', '--json', question], root, { DATA_DIR: dataDir });
      const source = await fromSources((io) => runAsk(['--json', question], io));
      expect(bundled.code, question).toBe(source.code);
      expect(JSON.parse(bundled.stdout), question).toStrictEqual(JSON.parse(source.stdout));
    }
    const bundled = await compiled(['check']);
    const source = await fromSources((io) => runCheck([], { ...io, env: {} }));
    expect(bundled.stdout).toBe(source.stdout);
    expect(bundled.stdout).toMatch(/^ok: 50 FAQ entries/);
  }, 120_000);

  it('is compiled again when a source changes, finds files beside its sources, keeps few old bundles', async () => {
    const project = mkdtempSync(join(tmpdir(), 'sb-compile-ahead-'));
    mkdirSync(join(project, 'bin'));
    mkdirSync(join(project, 'src'));
    for (const file of ['support-bot.js', 'compile-ahead.js'])
      copyFileSync(join(root, 'bin', file), join(project, 'bin', file));
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'));
    writeFileSync(join(project, 'src/greeting.txt'), 'hello from beside the sources');
    const versions = ['one', 'two', 'three', 'four', 'five'];
    for (const version of versions) {
      writeFileSync(
        join(project, 'src/cli.ts'),
        `import { readFileSync } from 'node:fs';\n` +
          `const greeting: string = readFileSync(new URL('./greeting.txt', import.meta.url), 'utf8');\n` +
          `process.stdout.write(\`${version}: \${greeting}\`);\n`,
      );
      const result = await compiled([], project);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${version}: hello from beside the sources`);
    }
    // The current bundle and the two before it.
    expect(readdirSync(join(project, 'dist'))).toHaveLength(3);
  }, 120_000);
});
