import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/support-bot.js', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });

describe('a damaged data directory, as an operator meets it', () => {
  it('start-up refuses and names the repair; repair-data reports what it dropped; then the bot starts', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-repair-'));
    const stores = await createEmbeddedStores({ dataDir });
    await stores.counters.increment('turns', '2026-12-06', 3);
    await stores.close();
    const journal = fs.readdirSync(dataDir).find((f) => f.startsWith('journal-')) as string;
    fs.appendFileSync(
      path.join(dataDir, journal),
      'garbage in the middle\n{"t":"counter","name":"turns","day":"2026-12-06","by":1}\n',
    );

    const check = run(['check'], { DATA_DIR: dataDir });
    expect(check.status).toBe(0); // check validates files, not the store

    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error' },
      timeout: 60_000,
    });
    expect(refused.status).toBe(1);
    const said = refused.stdout + refused.stderr;
    // Said plainly, not as a log line: the operator reads it.
    expect(said).toContain(`${journal}: line 1 (21 bytes) garbage in the middle\n`);
    expect(said).toContain('npx support-bot repair-data');

    const repair = run(['repair-data', '--data-dir', dataDir]);
    expect(repair.stderr).toBe('');
    expect(repair.status).toBe(0);
    expect(repair.stdout).toMatch(
      /Dropped 1 damaged line\(s\):\n {2}\S+journal-\d+\.jsonl: line 1 \(21 bytes\) garbage in the middle/,
    );
    expect(repair.stdout).toMatch(/Original files copied to \S+repair-/);

    const reopened = await createEmbeddedStores({ dataDir });
    try {
      expect(await reopened.counters.get('2026-12-06')).toEqual({ turns: 4 });
    } finally {
      await reopened.close();
    }
    // Three processes start in turn: on a busy two-core machine that takes a while.
  }, 120_000);
});
