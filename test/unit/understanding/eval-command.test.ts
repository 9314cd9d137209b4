import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('npm run eval (tools/eval/main.ts)', () => {
  it('a missing data file is one clear line and exit code 1, not a stack trace', () => {
    const dir = join(tmpdir(), `eval-cli-missing-${process.pid}`, 'banking77');
    const train = join(dir, 'train.csv');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'tools/eval/main.ts', '--train', train, '--test', join(dir, 'test.csv')],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `eval failed: --train ${train}: file not found. BANKING77 is not part of the repository: ` +
        'place its train.csv and test.csv in ../shared/data/banking77 beside the checkout ' +
        '(see README.md, "Tests and benchmarks").',
    ]);
  });
});
