import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const violatingTree = fileURLToPath(new URL('../../fixtures/layer-violations/', import.meta.url));

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs the project's dependency check (the command and rules of `npm run deps`) over `cwd`'s src/. */
function checkLayers(cwd: string, outputType: 'err' | 'json') {
  return spawnSync(
    process.execPath,
    [
      `${projectRoot}node_modules/dependency-cruiser/bin/dependency-cruise.mjs`,
      'src',
      '--config',
      `${projectRoot}.dependency-cruiser.cjs`,
      '--output-type',
      outputType,
    ],
    { cwd, encoding: 'utf8' },
  );
}

/** Each violation as `rule: from → to`, an SDK's path shortened to its package. */
function violationsOf(jsonOutput: string): string[] {
  const result = JSON.parse(jsonOutput) as { summary: { violations: Violation[] } };
  return result.summary.violations
    .map(
      ({ rule, from, to }) => `${rule.name}: ${from} → ${to.replace(/^.*node_modules\//, 'node_modules/')}`,
    )
    .sort();
}

describe('the layer rules (.dependency-cruiser.cjs)', () => {
  it('fail the check on a tree that breaks them, naming each break', () => {
    const check = checkLayers(violatingTree, 'err');
    expect(check.status).not.toBe(0);
    expect(check.stdout).toContain('8 dependency violations (8 errors');

    expect(violationsOf(checkLayers(violatingTree, 'json').stdout)).toEqual([
      'admin-above-channels: src/channels/web/web-page.ts → src/admin/console.ts',
      'channels-use-store-ports: src/channels/web/web-page.ts → src/store/redis/redis-stores.ts',
      'core-imports-no-sdk: src/core/engine.ts → http',
      'core-is-inner: src/core/engine.ts → src/channels/web/web-page.ts',
      'no-folder-cycles: src/admin → src/channels/web',
      'no-folder-cycles: src/channels/web → src/admin',
      'no-module-cycles: src/admin/console.ts → src/channels/web/web-page.ts',
      'slack-sdk-in-its-folder: src/handoff/ticket-cards.ts → node_modules/@slack/bolt/dist/index.js',
    ]);
  });
});
