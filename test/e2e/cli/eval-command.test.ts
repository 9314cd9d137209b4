import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';

describe('support-bot eval', () => {
  it('a missing data file is one clear line and exit code 1, not a stack trace', async () => {
    const dir = join(tmpdir(), `eval-cli-missing-${process.pid}`, 'banking77');
    const train = join(dir, 'train.csv');
    const run = await runCli(['eval', '--train', train, '--test', join(dir, 'test.csv')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `eval failed: --train ${train}: file not found. BANKING77 is not part of the repository: ` +
        'place its train.csv and test.csv in ../shared/data/banking77 beside the checkout ' +
        '(see README.md, "Tests and benchmarks").',
    ]);
  });
});
