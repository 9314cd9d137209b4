import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readZip } from '../../support/read-zip.ts';
import { runCli } from '../../support/run-cli.ts';

const root = new URL('../../../', import.meta.url).pathname;
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER_APP_ID = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** `support-bot package-teams` in `cwd` (a copy of the project's appPackage/). */
function packageTeams(cwd: string, args: string[], env: Record<string, string> = {}) {
  return runCli(['package-teams', ...args], { cwd, env });
}

describe('support-bot package-teams (npm run package:teams)', () => {
  let dir = '';
  let zip = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'package-teams-'));
    await cp(join(root, 'appPackage'), join(dir, 'appPackage'), {
      recursive: true,
      filter: (source) => !source.includes(`${join('appPackage', 'build')}`),
    });
    zip = join(dir, 'appPackage/build/support-bot-teams.zip');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('without an app id fails, says how to give one, and writes no zip', async () => {
    const run = await packageTeams(dir, []);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no Teams app id');
    expect(run.stderr).toContain('--app-id <guid>');
    expect(run.stderr).toContain('MICROSOFT_APP_ID');
    expect(run.stdout).toBe('');
    expect(existsSync(zip)).toBe(false);
  });

  it('refuses an app id that is not a GUID, naming where it came from, and writes no zip', async () => {
    const fromArgument = await packageTeams(dir, ['--app-id', 'my-support-bot']);
    expect(fromArgument.code).toBe(1);
    expect(fromArgument.stderr).toContain('--app-id must be a GUID');
    expect(fromArgument.stderr).toContain('"my-support-bot"');
    const fromEnv = await packageTeams(dir, [], { MICROSOFT_APP_ID: `${APP_ID}x` });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain('MICROSOFT_APP_ID must be a GUID');
    expect(existsSync(zip)).toBe(false);
  });

  it('rejects an unknown option with the usage text', async () => {
    const run = await packageTeams(dir, ['--appid', APP_ID]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--app-id <guid>');
    expect(existsSync(zip)).toBe(false);
  });

  it('writes the package with the id from --app-id, which wins over MICROSOFT_APP_ID', async () => {
    const run = await packageTeams(dir, ['--app-id', APP_ID], { MICROSOFT_APP_ID: OTHER_APP_ID });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Wrote appPackage/build/support-bot-teams.zip');
    const files = readZip(await readFile(zip));
    const manifest = JSON.parse(files.find((f) => f.name === 'manifest.json')?.data.toString('utf8') ?? '{}');
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
  });

  it('takes the id from MICROSOFT_APP_ID when no argument is given', async () => {
    const run = await packageTeams(dir, [], { MICROSOFT_APP_ID: OTHER_APP_ID });
    expect(run.code).toBe(0);
    const files = readZip(await readFile(zip));
    const manifest = JSON.parse(files.find((f) => f.name === 'manifest.json')?.data.toString('utf8') ?? '{}');
    expect(manifest.id).toBe(OTHER_APP_ID);
  });
});
